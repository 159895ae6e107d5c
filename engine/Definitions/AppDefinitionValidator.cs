using FluentValidation;

namespace LowCodeTokens.Engine.Definitions;

public sealed class AppDefinitionValidator : AbstractValidator<AppDefinition>
{
    internal static readonly string[] WidgetTypes = ["table", "text", "button"];

    public AppDefinitionValidator()
    {
        RuleFor(a => a.Name).Must(n => Names.UrlName().IsMatch(n)).WithMessage("must be letters, digits, '_', '.' or '-'");
        RuleForEach(a => a.Modules).ChildRules(m =>
        {
            m.RuleFor(x => x.Name).Must(n => Names.Identifier().IsMatch(n) && !Names.Reserved.Contains(n)).WithMessage("must be a JavaScript identifier that is not reserved");
            m.RuleFor(x => x.Module).Must(r => Names.ModuleReference().IsMatch(r)).WithMessage("must be Name@major, Name@major.minor or Name@x.y.z");
        });
        RuleForEach(a => a.AllowedHosts).Must(IsHostEntry).WithMessage(HostEntryMessage);
        RuleForEach(a => a.Datasources).ChildRules(d =>
        {
            d.RuleForEach(x => x.AllowedHosts).Must(IsHostEntry).WithMessage(HostEntryMessage);
            d.RuleFor(x => x.Name).Must(n => Names.Identifier().IsMatch(n)).WithMessage("must be a JavaScript identifier");
            d.RuleFor(x => x.BaseUrl).Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https"))
                .WithMessage("must be an absolute http(s) URL");
        });
        RuleForEach(a => a.Pages).ChildRules(p =>
        {
            p.RuleFor(x => x.Name).Must(n => Names.UrlName().IsMatch(n)).WithMessage("must be letters, digits, '_', '.' or '-'");
            p.RuleForEach(x => x.Queries).SetValidator(new QueryDefinitionValidator());
            p.RuleForEach(x => x.JsObjects).ChildRules(o =>
            {
                o.RuleFor(x => x.Name).Must(n => Names.Identifier().IsMatch(n) && !Names.Reserved.Contains(n)).WithMessage("must be a JavaScript identifier that is not reserved");
                o.RuleFor(x => x.Code).NotEmpty();
            });
            p.RuleForEach(x => x.Widgets).ChildRules(w =>
            {
                w.RuleFor(x => x.Name).Must(n => Names.Identifier().IsMatch(n) && !Names.Reserved.Contains(n)).WithMessage("must be a JavaScript identifier that is not reserved");
                w.RuleFor(x => x.Type).Must(t => WidgetTypes.Contains(t)).WithMessage($"must be one of {string.Join(", ", WidgetTypes)}");
            });
        });
        RuleFor(a => a.SignIn!).SetValidator(new SignInDefinitionValidator()).When(a => a.SignIn is not null);
        RuleFor(a => a.Pages).Must(ps => ps.Select(p => p.Name).Distinct().Count() == ps.Count).WithMessage("page names must be unique");
        RuleFor(a => a.Datasources).Must(ds => ds.Select(d => d.Name).Distinct().Count() == ds.Count).WithMessage("datasource names must be unique");
    }

    private const string HostEntryMessage = "must be a host name or address with an optional port ('api.example.com', 'api.example.com:8443', '[2001:db8::1]:443'), without scheme, path or wildcard";

    private static bool IsHostEntry(string? entry) => AllowedHostEntry.TryParse(entry, out _, out _);
}
