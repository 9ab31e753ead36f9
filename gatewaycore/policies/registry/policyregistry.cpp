// The policy registry: the built-in policies' declarations, attachment validation, docs.
#include "policyregistry.h"

#include "policies/backendjwt/backendjwtpolicy.h"
#include "policies/cache/cachepolicy.h"
#include "policies/headers/headerpolicies.h"
#include "policies/hub/packagepolicy.h"
#include "policies/lua/luapolicy.h"
#include "policies/mock/mockpolicies.h"
#include "policies/plugin/nativepolicy.h"
#include "policies/rewrite/rewritepolicy.h"
#include "policies/template/templatepolicy.h"
#include "policies/transform/transformpolicies.h"
#include "policies/validate/validatepolicies.h"
#include "project/gatewayconfig.h"

#include "base/textutil.h"

#include <QJsonArray>

#include <algorithm>

namespace Gatehouse {

void addDiagnosticOnce(Diagnostics &diagnostics, Severity severity, const SourceLocation &where,
                       const QString &message)
{
    for (const Diagnostic &d : diagnostics.items()) {
        if (d.severity == severity && d.location == where && d.message == message)
            return;
    }
    diagnostics.add({severity, where, message});
}

void PolicyBuildContext::error(const QString &message) const
{
    errorAt(attachment.location, QStringLiteral("policy '%1': %2").arg(attachment.name, message));
}

void PolicyBuildContext::errorAt(const SourceLocation &where, const QString &message) const
{
    addDiagnosticOnce(diagnostics, Severity::Error, where, message);
}

QJsonObject PolicyDescriptor::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("name"), name);
    o.insert(QStringLiteral("version"), version);
    o.insert(QStringLiteral("description"), description);
    o.insert(QStringLiteral("priority"), priority);
    QJsonArray phases;
    if (requestPhase)
        phases.append(QStringLiteral("request"));
    if (responsePhase)
        phases.append(QStringLiteral("response"));
    o.insert(QStringLiteral("phases"), phases);
    o.insert(QStringLiteral("settings"), settings.toJsonSchema());
    if (!notes.isEmpty())
        o.insert(QStringLiteral("notes"), notes);
    return o;
}

PolicyRegistry::PolicyRegistry()
{
    m_policies = {setHeadersPolicy(), removeHeadersPolicy(), renameHeadersPolicy(), rewritePolicy(),
                  mockResponsePolicy(), denyPolicy(), luaPolicy(), nativePolicy(), mgwInterceptorPolicy(),
                  validateRequestPolicy(), validateResponsePolicy(), jsonToXmlPolicy(), xmlToJsonPolicy(),
                  responseCachePolicy(), backendJwtPolicy(), bodyTemplatePolicy()};
    std::stable_sort(m_policies.begin(), m_policies.end(), [](const PolicyDescriptor &a, const PolicyDescriptor &b) {
        return a.priority != b.priority ? a.priority > b.priority : a.name < b.name;
    });
}

const PolicyRegistry &PolicyRegistry::builtin()
{
    static const PolicyRegistry registry;
    return registry;
}

const PolicyDescriptor *PolicyRegistry::find(const QString &name) const
{
    for (const PolicyDescriptor &d : m_policies) {
        if (d.name == name)
            return &d;
    }
    return nullptr;
}

QStringList PolicyRegistry::names() const
{
    QStringList out;
    for (const PolicyDescriptor &d : m_policies)
        out.append(d.name);
    return out;
}

std::shared_ptr<const Filter> PolicyRegistry::build(const PolicyAttachment &attachment, const Route &route,
                                                    const GatewayConfig &config, GatewayServices &services,
                                                    Diagnostics &diagnostics) const
{
    const PolicyDescriptor *d = find(attachment.name);
    if (!d) {
        // A policy package installed from a hub and pinned in gatehouse.yaml.
        for (const PolicyPackagePin &pin : config.settings.policyPackages) {
            if (pin.name == attachment.name) {
                const PolicyBuildContext ctx{attachment, attachment.settings, route, config, services, diagnostics};
                return buildPackagePolicy(ctx, pin);
            }
        }
        const QStringList known = names();
        addDiagnosticOnce(diagnostics, Severity::Error, attachment.location,
                          QStringLiteral("unknown policy '%1'%2 (known: %3)")
                              .arg(attachment.name, didYouMean(attachment.name, known), known.join(QStringLiteral(", "))));
        return nullptr;
    }
    QStringList problems;
    QJsonObject declared = attachment.settings;
    QJsonObject extra;
    if (d->openSettings) {
        for (auto it = attachment.settings.begin(); it != attachment.settings.end(); ++it) {
            const bool known = std::any_of(d->settings.properties.begin(), d->settings.properties.end(),
                                           [&](const SettingProperty &p) { return p.name == it.key(); });
            if (!known) {
                extra.insert(it.key(), it.value());
                declared.remove(it.key());
            }
        }
    }
    QJsonObject settings = validateSettings(d->settings, declared, QStringLiteral("settings"), problems).toObject();
    for (auto it = extra.begin(); it != extra.end(); ++it)
        settings.insert(it.key(), it.value());
    if (problems.isEmpty() && d->check)
        d->check(settings, problems);
    const PolicyBuildContext ctx{attachment, settings, route, config, services, diagnostics};
    for (const QString &p : std::as_const(problems))
        ctx.error(p);
    if (!problems.isEmpty())
        return nullptr;
    return d->build(ctx);
}

QString PolicyRegistry::markdown() const
{
    QString md = QStringLiteral(
        "<!-- Generated from the policy registry (gatewaycore/policies/registry); do not edit.\n"
        "     Regenerate: GATEHOUSE_UPDATE_DOCS=1 ctest -R tst_policydocs -->\n"
        "# Policies\n\n"
        "Policies are attached to an API (top level of the OpenAPI document) or to one operation:\n\n"
        "```yaml\n"
        "x-gatehouse-request-policies:\n"
        "  - name: set-headers\n"
        "    settings:\n"
        "      request:\n"
        "        - {name: X-Caller, value: \"${principal.subject}\"}\n"
        "x-gatehouse-response-policies:\n"
        "  - name: remove-headers\n"
        "    settings: {response: [Server]}\n"
        "```\n\n"
        "Order on the request path: CORS, authentication, scopes, rate limiting, then the API's\n"
        "request policies, the operation's request policies, the upstream, the operation's response\n"
        "policies, the API's response policies. A policy does everything its settings say wherever\n"
        "it is attached (a `set-headers` with `response` entries in a request list still edits the\n"
        "response); the lists decide the order. MGW's `x-wso2-request-interceptor` and\n"
        "`x-wso2-response-interceptor` become an `interceptor` attachment.\n\n"
        "`gatehoused check` validates every attachment's settings against the schemas below and\n"
        "reports problems at the attachment, with the field's path:\n\n"
        "    apis/pets.yaml:12:9: error: policy 'set-headers': settings.request[0].name: expected text, found a number\n\n"
        "`gatehoused policy list` and `gatehoused policy show NAME [--json]` print the same.\n"
        "Policy packages installed from a hub (`gatehoused policy install`, docs/policy-hub.md) are\n"
        "attached by their own name and checked against the schema their manifest declares.\n"
        "\n## CORS\n\n"
        "CORS is not an attachment but `x-gatehouse-cors` (or MGW's `x-wso2-cors`, same keys) on the\n"
        "API or an operation: `accessControlAllowOrigins`, `accessControlAllowMethods`,\n"
        "`accessControlAllowHeaders`, `accessControlExposeHeaders`, `accessControlAllowCredentials`,\n"
        "`accessControlMaxAge` (seconds), `corsConfigurationEnabled`. It runs first: a preflight\n"
        "(OPTIONS with `Origin` and `Access-Control-Request-Method`) is answered 204 by the gateway\n"
        "before any credentials are asked for, also on paths that declare no OPTIONS operation (a\n"
        "plain OPTIONS there gets 204 with `Allow`); a preflight for an origin, method or header not\n"
        "allowed gets 403. Actual requests from an allowed origin get `Access-Control-Allow-Origin`\n"
        "(and `-Credentials`, `-Expose-Headers`, `Vary: Origin`) on every answer, the upstream's own\n"
        "`Access-Control-*` replaced. Empty lists mean any origin (`*`, or the origin echoed with\n"
        "credentials), the path's methods, and the requested headers reflected.\n"
        "\n## JSON and XML\n\n"
        "`json-to-xml` and `xml-to-json` (below) convert bodies by fixed rules\n"
        "(gatewaycore/policies/transform/jsonxml.h):\n\n"
        "- JSON to XML: an object with one non-array member is the root element, anything else is\n"
        "  wrapped in `<root>`; `\"name\": value` is `<name>`, an array repeats the element,\n"
        "  `\"@name\"` is an attribute, `\"#text\"` the text; names are qualified names as written\n"
        "  (`\"@xmlns:p\"` declares a namespace); scalars become text, null an empty element. Text\n"
        "  and attribute values are escaped (`< > & \"`; tab, LF and CR in attributes as character\n"
        "  references); characters XML 1.0 cannot carry (other control characters, U+FFFE, U+FFFF) are\n"
        "  dropped, and a string holding an unpaired surrogate (`\"\\ud800\"`) is refused.\n"
        "- XML to JSON: `<r>` is `{\"r\": ...}`; a text-only element is a string (empty: null);\n"
        "  otherwise an object of `@attributes`, children by name (repeated names: an array in\n"
        "  document order) and non-blank `#text`. Values stay strings; comments and processing\n"
        "  instructions are dropped; member order follows JSON (sorted), not the document.\n"
        "- Cost: `json-to-xml` converts the body bytes to XML bytes in one pass, without building a\n"
        "  JSON document, whenever member names are plain ASCII and unique (other bodies take the\n"
        "  parse-then-convert route, with the same result). `xml-to-json` reads the XML once into a\n"
        "  flat tree and writes the JSON text from it, without building JSON objects. Costs:\n"
        "  docs/performance.md\n"
        "  (`tests/bench/body-policies.sh build/ci`).\n"
        "- Hostile input: a DTD is refused (so no entity expands), as are documents over\n"
        "  `maxBodyBytes` (default 1 MiB), nested deeper than `maxDepth` (default 64) or with more\n"
        "  than 100,000 nodes.\n"
        "\n## Bodies\n\n"
        "Policies that read bodies (`validate-request`, `validate-response`, `json-to-xml`,\n"
        "`xml-to-json`, `body-template`) make the gateway buffer them, only on the routes they are attached to; other\n"
        "routes stream bodies untouched. The buffer is bounded by the smallest `maxBodyBytes` of the\n"
        "route's body policies: a larger request is answered 413 before the upstream is called, a\n"
        "larger response 502 (so is an upstream that breaks off while its response is held: the\n"
        "client never gets half of one). Buffered bodies leave with their final Content-Length;\n"
        "chunked framing and trailers of a buffered message are dropped. HTTP/1.1 and HTTP/2 clients\n"
        "are treated alike. Request body policies run after every request policy passed, in\n"
        "attachment order; response body policies after the response head policies, in response\n"
        "order (operation's, then API's). `response-cache` only copies response bodies (up to its\n"
        "`maxEntryBytes`): on a route where it is the only body reader, a larger response is not\n"
        "refused but streams to the client as it comes, uncached.\n");
    for (const PolicyDescriptor &d : m_policies) {
        QStringList phases;
        if (d.requestPhase)
            phases.append(QStringLiteral("request"));
        if (d.responsePhase)
            phases.append(QStringLiteral("response"));
        md += QStringLiteral("\n## %1\n\nVersion %2, priority %3, phases: %4.\n\n%5\n")
                  .arg(d.name, d.version, QString::number(d.priority), phases.join(QStringLiteral(", ")), d.description);
        const QStringList rows = settingsTableRows(d.settings);
        if (!rows.isEmpty()) {
            md += QStringLiteral("\n| setting | type | default | rules | description |\n|---|---|---|---|---|\n");
            md += rows.join(u'\n') + u'\n';
        }
        if (!d.notes.isEmpty())
            md += u'\n' + d.notes + u'\n';
    }
    return md;
}

} // namespace Gatehouse
