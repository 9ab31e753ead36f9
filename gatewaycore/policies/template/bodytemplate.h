// Body templates: text with ${...} substitutions, compiled once per config for a target content
// type, rendered per exchange with escaping for that type, so no value can change the document's
// structure: inside a JSON string a value is string content; in a JSON value position it is a
// whole JSON value (a quoted string, or a JSON pointer's value as JSON); in XML text and quoted
// attribute values it is escaped character data; text bodies get it as is.
#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace Gatehouse {

enum class BodyKind { Json = 1, Xml, Text };
// application/json and */*+json are Json; application/xml, text/xml and */*+xml are Xml.
BodyKind bodyKindOf(QByteArrayView contentType);

// Where a substitution's value comes from.
enum class TemplateSource {
    Method = 1, Path, Header, Query, PathParam, RequestBody, RequestJson, Subject, Scopes, Issuer, Application,
    Claim, OperationId, ApiName, ApiVersion, Now, ClientIp, Status, ResponseHeader, ResponseBody, ResponseJson,
};

// The value of one substitution at render time.
struct TemplateValue
{
    bool present = false;
    bool isJson = false;     // `json` holds a JSON value (a pointer's target); else `text`
    QByteArray text;         // UTF-8
    QJsonValue json;
};

class BodyTemplate
{
public:
    struct Part
    {
        QByteArray literal;          // when source is 0
        TemplateSource source{};     // 0: a literal
        QByteArray name;             // header, query, path parameter or claim name; JSON pointer
        bool inString = false;       // JSON: inside a string literal
    };

    // Parses and checks `text` for `kind`. `response`: a response template (response.* allowed,
    // request.body not). `pathParams`: the route's path parameter names. Problems are sentences.
    bool compile(const QString &text, BodyKind kind, bool response, const QStringList &pathParams,
                 QStringList &problems);

    // Renders with `value` giving each substitution's value. Never fails: an absent value is
    // "" in strings, text and XML, null in a JSON value position.
    QByteArray render(const std::function<TemplateValue(const Part &)> &value) const;

    const QList<Part> &parts() const { return m_parts; }
    BodyKind kind() const { return m_kind; }
    bool readsRequestJson() const { return m_readsRequestJson; }
    bool readsResponseJson() const { return m_readsResponseJson; }

    static QString variablesHelp();   // Markdown table for the docs

    // Escapers (exposed for tests).
    static void appendJsonStringContent(QByteArray &out, QByteArrayView utf8);
    static void appendXmlEscaped(QByteArray &out, QByteArrayView utf8);
    // A JSON pointer (RFC 6901) into `doc`; undefined when it does not resolve.
    static QJsonValue resolvePointer(const QJsonDocument &doc, QByteArrayView pointer);

private:
    QList<Part> m_parts;
    BodyKind m_kind = BodyKind::Text;
    bool m_readsRequestJson = false;
    bool m_readsResponseJson = false;
};

} // namespace Gatehouse
