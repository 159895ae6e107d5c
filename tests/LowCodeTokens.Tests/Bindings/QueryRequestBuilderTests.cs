using System.Text.Json;
using LowCodeTokens.Engine.Bindings;
using LowCodeTokens.Engine.Definitions;

namespace LowCodeTokens.Tests.Bindings;

public class QueryRequestBuilderTests
{
    private static BindingValue V(string json) => new(json);
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static QueryDefinition TokenQuery() => new()
    {
        Name = "api_authToken",
        Method = "post",
        Url = "{{inputs.tokenUrl}}",
        BodyType = "form",
        Body = Json("""{ "grant_type": "client_credentials", "client_id": "{{inputs.clientId}}", "client_secret": "{{inputs.clientSecret}}", "scope": "{{ {a: 1} }}", "n": 5 }"""),
        TimeoutMs = 2500,
    };

    [Fact]
    public void For_QueryWithEverything_FieldPathsInStableOrder()
    {
        var query = new QueryDefinition
        {
            Name = "q",
            Url = "/api/{{kind}}/{{id}}",
            Headers = new() { ["Authorization"] = "JWT {{token}}", ["Accept"] = "application/json", ["X-Trace"] = "{{trace}}" },
            QueryParams = new() { ["page"] = "{{page}}" },
            Body = Json("""{ "client_id": "{{cid}}", "nested": { "list": [1, "{{item}}"] } }"""),
        };
        var datasource = new DatasourceDefinition { Name = "ds", Headers = new() { ["X-Api-Key"] = "{{key}}", ["authorization"] = "{{ignored}}" } };

        var bindings = QueryBindings.For(query, datasource);

        Assert.Equal(
            [("url", "kind"), ("url", "id"), ("headers.Authorization", "token"), ("headers.X-Trace", "trace"),
             ("queryParams.page", "page"), ("body.client_id", "cid"), ("body.nested.list[1]", "item"),
             ("datasource.headers.X-Api-Key", "key")],
            bindings.Select(b => (b.FieldPath, b.Expression)));
    }

    [Fact]
    public void For_CalledTwice_ReturnsCachedList()
    {
        var query = TokenQuery();
        Assert.Same(QueryBindings.For(query), QueryBindings.For(query));
        var ds = new DatasourceDefinition { Name = "ds" };
        Assert.Same(QueryBindings.For(query, ds), QueryBindings.For(query, ds));
    }

    [Fact]
    public void For_MalformedHeader_ThrowsWithFieldPathAndOffset()
    {
        var query = new QueryDefinition { Name = "q", Headers = new() { ["Authorization"] = "JWT {{ token" } };
        var ex = Assert.Throws<TemplateSyntaxException>(() => QueryBindings.For(query));
        Assert.Equal("headers.Authorization", ex.FieldPath);
        Assert.Equal(4, ex.Offset);
        Assert.StartsWith("headers.Authorization:", ex.Message);
    }

    [Fact]
    public void Build_FormBody_FieldsRenderedAsText()
    {
        var query = TokenQuery();
        Assert.Equal(4, QueryBindings.For(query).Count);

        var request = QueryRequestBuilder.Build(query, null,
            [V("\"http://127.0.0.1:9400/token\""), V("\"my-client\""), V("\"s3cr&t\""), V("{\"a\":1}")]);

        Assert.Equal("POST", request.Method);
        Assert.Equal("http://127.0.0.1:9400/token", request.Url);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), request.Timeout);
        Assert.Equal("form", request.Body!.Kind);
        Assert.Equal(
            [new("grant_type", "client_credentials"), new("client_id", "my-client"), new("client_secret", "s3cr&t"),
             new("scope", "{\"a\":1}"), new KeyValuePair<string, string>("n", "5")],
            request.Body.Form!);
    }

    [Fact]
    public void Build_FormBodyAsKeyValueArray_FieldsInOrder()
    {
        var query = new QueryDefinition
        {
            Name = "q", BodyType = "form",
            Body = Json("""[ { "key": "grant_type", "value": "refresh_token" }, { "key": "refresh_token", "value": "{{rt}}" }, { "key": "empty" } ]"""),
        };
        Assert.Equal("body.refresh_token", Assert.Single(QueryBindings.For(query)).FieldPath);

        var request = QueryRequestBuilder.Build(query, null, [BindingValue.Undefined]);

        Assert.Equal(
            [new("grant_type", "refresh_token"), new("refresh_token", ""), new KeyValuePair<string, string>("empty", "")],
            request.Body!.Form!);
    }

    [Fact]
    public void Build_HeadersAndParams_TextRenderedAndDatasourceMerged()
    {
        var query = new QueryDefinition
        {
            Name = "getusers_API", Datasource = "users_api", Url = "/api/users",
            Headers = new() { ["Authorization"] = "JWT {{Auth_Module.getAccessToken.data}}" },
            QueryParams = new() { ["page"] = "{{page}}", ["filter"] = "{{f}}", ["missing"] = "{{u}}" },
        };
        var datasource = new DatasourceDefinition
        {
            Name = "users_api", BaseUrl = "http://127.0.0.1:9400",
            Headers = new() { ["AUTHORIZATION"] = "Basic {{nope}}", ["X-Tenant"] = "t-{{tenant}}" },
        };

        var request = QueryRequestBuilder.Build(query, datasource,
            [V("\"eyJ.abc\""), V("2"), V("{\"q\":\"x\"}"), BindingValue.Undefined, V("7")]);

        Assert.Equal("/api/users", request.Url);
        Assert.Equal("GET", request.Method);
        Assert.Same(datasource, request.Datasource);
        Assert.Null(request.Body);
        Assert.Null(request.Timeout);
        Assert.Equal([new("Authorization", "JWT eyJ.abc"), new KeyValuePair<string, string>("X-Tenant", "t-7")], request.Headers);
        Assert.Equal(
            [new("page", "2"), new("filter", "{\"q\":\"x\"}"), new KeyValuePair<string, string>("missing", "")],
            request.QueryParams);
    }

    [Fact]
    public void Build_StringJsonBody_SmartSubstitutionParses()
    {
        var query = new QueryDefinition
        {
            Name = "refresh", Method = "POST",
            Body = Json("\"{\\\"refresh_token\\\": {{appsmith.store.authRefreshToken}}, \\\"n\\\": {{n}}, \\\"o\\\": {{o}}, \\\"h\\\": \\\"Bearer {{t}}\\\"}\""),
        };

        var request = QueryRequestBuilder.Build(query, null, [V("\"rt-1\""), V("3"), V("{\"a\":null}"), V("\"x\\\"y\"")]);

        Assert.Equal("json", request.Body!.Kind);
        using var doc = JsonDocument.Parse(request.Body.Text!);
        Assert.Equal("rt-1", doc.RootElement.GetProperty("refresh_token").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("n").GetInt32());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("o").GetProperty("a").ValueKind);
        Assert.Equal("Bearer x\"y", doc.RootElement.GetProperty("h").GetString());
    }

    [Fact]
    public void Build_ObjectJsonBody_SingleBindingsRawOthersText()
    {
        var query = new QueryDefinition
        {
            Name = "q", Method = "POST",
            Body = Json("""{ "id": "{{id}}", "user": "{{user}}", "label": "n={{id}}", "gone": "{{u}}", "list": ["{{u}}", true, null, 1.5], "fixed": { "k": "v" } }"""),
        };

        var request = QueryRequestBuilder.Build(query, null,
            [V("12"), V("{\"name\":\"Ann\"}"), V("12"), BindingValue.Undefined, BindingValue.Undefined]);

        Assert.Equal("json", request.Body!.Kind);
        using var doc = JsonDocument.Parse(request.Body.Text!);
        var root = doc.RootElement;
        Assert.Equal(12, root.GetProperty("id").GetInt32());
        Assert.Equal("Ann", root.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("n=12", root.GetProperty("label").GetString());
        Assert.False(root.TryGetProperty("gone", out _));
        Assert.Equal("[null,true,null,1.5]", root.GetProperty("list").GetRawText());
        Assert.Equal("v", root.GetProperty("fixed").GetProperty("k").GetString());
    }

    [Fact]
    public void Build_TextBody_TextRendered()
    {
        var query = new QueryDefinition { Name = "q", BodyType = "text", Body = Json("\"hello {{name}} {{o}}\"") };
        var request = QueryRequestBuilder.Build(query, null, [V("\"Ann\""), V("[1]")]);
        Assert.Equal("text", request.Body!.Kind);
        Assert.Equal("hello Ann [1]", request.Body.Text);
    }

    [Theory]
    [InlineData("none", "{\"a\":1}")]
    [InlineData(null, "null")]
    public void Build_NoneOrNullBody_NoBody(string? bodyType, string body)
    {
        var query = new QueryDefinition { Name = "q", BodyType = bodyType, Body = Json(body) };
        Assert.Empty(QueryBindings.For(query));
        Assert.Null(QueryRequestBuilder.Build(query, null, []).Body);
    }

    [Fact]
    public void Build_WrongValueCount_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => QueryRequestBuilder.Build(TokenQuery(), null, [V("1")]));
        Assert.Contains("4 binding(s)", ex.Message);
    }

    [Fact]
    public void Build_UnknownBodyType_Throws()
    {
        var query = new QueryDefinition { Name = "q", BodyType = "xml", Body = Json("\"<a/>\"") };
        Assert.Throws<InvalidOperationException>(() => QueryBindings.For(query));
    }
}
