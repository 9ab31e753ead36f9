// What the try-it console composes and receives, and the text rules between them: URLs built from
// operations, the query string kept in step with a table, auth headers, example bodies, JSON.
#pragma once

#include "project/apimodel.h"

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace Gatehouse {

// One row of the query or headers table. Names may repeat (a=1&a=2), so this is a list, not a map.
struct NameValue
{
    QString name;
    QString value;
    friend bool operator==(const NameValue &, const NameValue &) = default;
};
using NameValueList = QList<NameValue>;

enum class AuthKind { None = 1, Bearer, ApiKeyHeader, Basic };

// The Authorization helper's fields. It only builds a header; issuing tokens is another screen's job.
struct AuthSettings
{
    AuthKind kind = AuthKind::None;
    QString token;                                        // Bearer
    QString apiKeyHeader = QStringLiteral("X-API-Key");   // ApiKeyHeader: the header's name
    QString apiKey;
    QString user;   // Basic
    QString password;
};

// The header the helper adds, or nothing (None, or the needed fields are empty).
std::optional<std::pair<QByteArray, QByteArray>> authHeader(const AuthSettings &auth);

struct TryItRequest
{
    QString method = QStringLiteral("GET");
    QString url;
    NameValueList headers;   // as typed; empty names are skipped when sending
    QByteArray body;
    QString contentType;   // empty = no Content-Type header and no body
    AuthSettings auth;
};

struct TryItResponse
{
    int status = 0;      // 0 = no HTTP response (see error)
    QByteArray reason;   // "OK", "Not Found"
    QByteArray httpVersion = QByteArrayLiteral("HTTP/1.1");
    QList<std::pair<QByteArray, QByteArray>> headers;
    QByteArray body;
    qint64 elapsedMs = 0;
    QString error;   // a sentence when the request failed
    bool cancelled = false;
    bool timedOut = false;

    bool hasResponse() const { return status > 0; }
    QByteArray header(const QByteArray &name) const;   // first value, case-insensitive
    QByteArray rawText() const;                        // status line, headers, blank line, body
};

// The gateway URL of an operation: base ("http://127.0.0.1:9090") + the API's base path + the
// operation's path template, with {params} left in place for the user to fill in. Required query
// parameters are appended with their example, default or first enum value (else empty).
QString operationUrl(const QString &gatewayBase, const ApiSpec &api, const Operation &op);

// The {name} placeholders in the part of a URL before its query: (start, length) including the braces.
QList<std::pair<int, int>> placeholderSpans(QStringView url);
QStringList placeholderNames(QStringView url);

// The query string of a URL as rows (percent-decoded), and a URL with its query replaced by rows
// (percent-encoded where needed; braces stay readable). The fragment, if any, is kept.
NameValueList queryItems(const QString &url);
QString withQueryItems(const QString &url, const NameValueList &items);

// An example value for a JSON schema: example, default, first enum value, or one built from the
// properties and items (allOf merged). Depth-limited so recursive schemas end.
QJsonValue exampleFromSchema(const QJsonValue &schema, int depth = 0);
// The request body to prefill: the schema example of the operation's first JSON media type.
QByteArray exampleBody(const Operation &op, QString *contentType);

// Indented JSON, or nullopt when the bytes are not a JSON document.
std::optional<QString> prettyJson(const QByteArray &bytes);

QString formatSize(qint64 bytes);   // "512 B", "1.2 KB", "3.4 MB"

} // namespace Gatehouse
