// TraceMessage: a traced exchange as text, bodies redacted.
#include "tracemessage.h"

#include "traceexplain.h"
#include "tryitmodel.h"

#include <QUrl>

namespace Gatehouse {

namespace {

constexpr QByteArrayView kRedactedJson = "\"REDACTED\"";

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The index just past the JSON string starting at `from` (a '"'), or body.size() when it does not end.
qsizetype skipString(const QByteArray &body, qsizetype from)
{
    for (qsizetype i = from + 1; i < body.size(); ++i) {
        if (body[i] == '\\')
            ++i;
        else if (body[i] == '"')
            return i + 1;
    }
    return body.size();
}

// The index just past the JSON value starting at `from`: a string, a whole object or array, or a
// number or literal.
qsizetype skipValue(const QByteArray &body, qsizetype from)
{
    if (from >= body.size())
        return from;
    const char first = body[from];
    if (first == '"')
        return skipString(body, from);
    if (first == '{' || first == '[') {
        int depth = 0;
        for (qsizetype i = from; i < body.size(); ++i) {
            const char c = body[i];
            if (c == '"') {
                i = skipString(body, i) - 1;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return body.size();
    }
    qsizetype i = from;
    while (i < body.size() && body[i] != ',' && body[i] != '}' && body[i] != ']' && !isSpace(body[i]))
        ++i;
    return i;
}

// Keeps the text's order and layout: only the values of secret members change.
QByteArray redactJson(const QByteArray &body)
{
    QByteArray out;
    out.reserve(body.size());
    qsizetype i = 0;
    while (i < body.size()) {
        if (body[i] != '"') {
            out += body[i++];
            continue;
        }
        const qsizetype end = skipString(body, i);
        const QByteArray token = body.mid(i, end - i);
        out += token;
        i = end;
        qsizetype colon = i;
        while (colon < body.size() && isSpace(body[colon]))
            ++colon;
        if (colon >= body.size() || body[colon] != ':' || token.size() < 2)
            continue;   // a string value, not a member name
        const QString name = QString::fromUtf8(token.mid(1, token.size() - 2));
        if (!TraceMessage::isSecretField(name))
            continue;
        qsizetype value = colon + 1;
        while (value < body.size() && isSpace(body[value]))
            ++value;
        out += body.mid(i, value - i);
        if (value < body.size())
            out += kRedactedJson;
        i = skipValue(body, value);
    }
    return out;
}

QByteArray redactForm(const QByteArray &body)
{
    QList<QByteArray> fields = body.split('&');
    for (QByteArray &field : fields) {
        const qsizetype equals = field.indexOf('=');
        const QByteArray name = equals < 0 ? field : field.left(equals);
        if (equals >= 0 && TraceMessage::isSecretField(QUrl::fromPercentEncoding(QByteArray(name).replace('+', ' '))))
            field = name + '=' + kRedacted.toByteArray();
    }
    return fields.join('&');
}

QByteArray headerValue(const QList<TraceHeaderField> &headers, QByteArrayView name)
{
    for (const TraceHeaderField &f : headers) {
        if (QByteArrayView(f.name).compare(name, Qt::CaseInsensitive) == 0)
            return f.value;
    }
    return {};
}

bool isJson(QByteArrayView contentType, const QByteArray &body)
{
    if (!contentType.isEmpty())
        return QByteArrayView(contentType).contains("json");
    const QByteArray start = body.left(64).trimmed();
    return start.startsWith('{') || start.startsWith('[');
}

bool isText(const QByteArray &bytes)
{
    if (bytes.contains('\0'))
        return false;
    // A capture may cut a multi-byte character at its end: only the start has to decode.
    return QUtf8StringView(bytes.left(qMax<qsizetype>(0, bytes.size() - 3))).isValidUtf8();
}

void appendHeaders(QString &text, const QList<TraceHeaderField> &headers)
{
    for (const TraceHeaderField &f : headers)
        text += QStringLiteral("%1: %2\n").arg(QString::fromUtf8(f.name), QString::fromUtf8(f.value));
}

} // namespace

bool TraceMessage::isSecretField(QStringView name)
{
    static const QStringList kParts = {
        QStringLiteral("password"), QStringLiteral("passwd"), QStringLiteral("secret"),
        QStringLiteral("token"), QStringLiteral("apikey"), QStringLiteral("authorization"),
        QStringLiteral("credential"), QStringLiteral("assertion"), QStringLiteral("privatekey"),
        QStringLiteral("signature"), QStringLiteral("session"), QStringLiteral("cookie"),
    };
    QString folded = name.toString().toLower();
    folded.remove(u'-');
    folded.remove(u'_');
    for (const QString &part : kParts) {
        if (folded.contains(part))
            return true;
    }
    return false;
}

QByteArray TraceMessage::redactBody(const QByteArray &body, QByteArrayView contentType)
{
    if (QByteArrayView(contentType).contains("x-www-form-urlencoded"))
        return redactForm(body);
    if (isJson(contentType, body))
        return redactJson(body);
    return body;
}

QString TraceMessage::bodyText(const TraceCapturedBody &body, QByteArrayView contentType)
{
    if (body.totalBytes == 0 && body.bytes.isEmpty())
        return {};
    QString text;
    if (!isText(body.bytes)) {
        text = tr("(%1 of binary data%2)")
                   .arg(formatSize(body.totalBytes),
                        contentType.isEmpty() ? QString() : QStringLiteral(", ") + QString::fromLatin1(contentType));
        return text;
    }
    const QByteArray redacted = redactBody(body.bytes, contentType);
    const std::optional<QString> pretty = body.isWhole() && isJson(contentType, redacted)
                                              ? prettyJson(redacted) : std::nullopt;
    text = pretty ? *pretty : QString::fromUtf8(redacted);
    if (body.truncated())
        text += u'\n' + tr("… (the first %1 of %2 were captured)").arg(formatSize(body.bytes.size()), formatSize(body.totalBytes));
    else if (!body.complete)
        text += u'\n' + tr("… (the exchange ended before the body did)");
    return text;
}

QString TraceMessage::text(const TraceRecord &r)
{
    QString text = QStringLiteral("%1 %2 %3\n").arg(QString::fromUtf8(r.method), QString::fromUtf8(r.target),
                                                      QString::fromUtf8(r.protocol));
    appendHeaders(text, r.requestHeaders);
    if (r.capture.present) {
        const QString body = bodyText(r.capture.requestBody, headerValue(r.requestHeaders, "content-type"));
        if (!body.isEmpty())
            text += u'\n' + body + u'\n';
    }
    text += QStringLiteral("\n%1 %2\n").arg(QString::fromUtf8(r.protocol)).arg(r.status);
    appendHeaders(text, r.responseHeaders);
    if (r.capture.present) {
        const QString body = bodyText(r.capture.responseBody, responseHeader(r, "content-type"));
        if (!body.isEmpty())
            text += u'\n' + body + u'\n';
    } else if (r.status != 0) {
        text += u'\n' + tr("(bodies were not captured for this request)") + u'\n';
    }
    return text;
}

} // namespace Gatehouse
