using System.Buffers;

namespace LowCodeTokens.Engine.Scripting.Jint;

/// <summary>A growable byte buffer that refuses to grow past a cap, so that serializing a huge value stops at the cap.</summary>
internal sealed class CappedBufferWriter(int cap) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[256];
    private int _written;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > cap) throw new ValueTooLargeException(cap);
        if (needed <= _buffer.Length) return;
        var size = (int)Math.Min(cap, Math.Max((long)_buffer.Length * 2, needed));
        Array.Resize(ref _buffer, size);
    }
}

/// <summary>A value serialized for leaving a script is larger than <see cref="ScriptingOptions.MaxValueBytes"/>.</summary>
internal sealed class ValueTooLargeException(int cap) : Exception($"larger than the {FormatSize(cap)} limit")
{
    public static string FormatSize(int bytes) => bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0
        ? $"{bytes / (1024 * 1024)} MB"
        : $"{bytes:N0} bytes";
}
