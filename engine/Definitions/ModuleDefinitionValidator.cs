using FluentValidation;

namespace LowCodeTokens.Engine.Definitions;

public sealed class ModuleDefinitionValidator : AbstractValidator<ModuleDefinition>
{
    public ModuleDefinitionValidator()
    {
        RuleFor(m => m.Name).Must(n => Names.UrlName().IsMatch(n)).WithMessage("must be letters, digits, '_', '.' or '-'");
        RuleFor(m => m.Version).Must(v => Names.SemVer().IsMatch(v)).WithMessage("must be a semantic version such as 1.0.0 or 2.1.0-beta.1 (SemVer 2.0.0: no leading zeros, no build metadata)");
        RuleFor(m => m.Code).NotEmpty().WithMessage("must hold the text of the module's main file (export default { ... })");
        RuleForEach(m => m.Inputs.Keys).Must(k => Names.Identifier().IsMatch(k)).OverridePropertyName("inputs").WithMessage("input names must be JavaScript identifiers");
        RuleForEach(m => m.Queries).NotNull().WithMessage("must be a query object").SetValidator(new QueryDefinitionValidator());
        RuleFor(m => m.Queries).Must(qs => qs.Where(q => q is not null).Select(q => q.Name).Distinct().Count() == qs.Count(q => q is not null))
            .WithMessage("query names must be unique");
    }
}
