// Header and query values with ${...} substitutions from the request and the caller, parsed once
// when the config is built and expanded per request without parsing.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Gatehouse {

struct RequestContext;

// Variables (docs/policies.md lists them):
//   ${request.method} ${request.path} ${request.header.NAME} ${request.query.NAME}
//   ${principal.subject} ${principal.scopes} (space-separated) ${principal.issuer}
//   ${principal.application} ${principal.claim.NAME} (text claims) ${route.operationId}
//   ${api.name} ${api.version}; "$${" writes a literal "${".
// A missing value expands to "". Control characters of substituted values become spaces, so a
// claim cannot split a header.
class ValueTemplate
{
public:
    // Parses `text`; on an unknown variable or an unclosed "${" returns false with *error set.
    bool parse(const QString &text, QString *error);
    QByteArray expand(const RequestContext &ctx) const;
    bool isLiteral() const { return m_parts.size() <= 1 && (m_parts.isEmpty() || m_parts.first().kind == Kind::Literal); }

    static QString variablesHelp();   // Markdown list for the docs

private:
    enum class Kind {
        Literal = 1, Method, Path, RequestHeader, QueryParam, Subject, Scopes, Issuer, Application,
        Claim, OperationId, ApiName, ApiVersion
    };
    struct Part
    {
        Kind kind;
        QByteArray text;   // literal text, or the header/parameter/claim name
    };
    QList<Part> m_parts;
};

} // namespace Gatehouse
