using System.Text.Json.Nodes;

namespace LowCodeTokens.Engine.Definitions.Folders;

/// <summary>A JSON file of the folder as read: its path relative to the folder and where its values are.</summary>
internal sealed record FolderFile(string Path, JsonLocations Locations);

/// <summary>A module folder: module.json with its main file's text in <c>"code"</c>, ready to publish.</summary>
internal sealed record FolderModule(string Name, string Version, string Json, FolderFile File, string MainPath);

/// <summary>An app file with its JS objects' side files read into <c>"code"</c>; <see cref="SideFiles"/> maps a code field path to the file it came from.</summary>
internal sealed record FolderApp(string Name, string Json, FolderFile File, IReadOnlyDictionary<string, string> SideFiles);

/// <summary>What a folder holds, and what was wrong while reading it (before any validation of the definitions themselves).</summary>
internal sealed record FolderContent(IReadOnlyList<FolderModule> Modules, IReadOnlyList<FolderApp> Apps, IReadOnlyList<FolderProblem> Problems);
