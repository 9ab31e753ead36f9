// Gateway-generated error responses: JSON {"code", "message", "description"} with the right status.
#include "errorresponse.h"

#include "http/http1writer.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QVarLengthArray>

namespace Gatehouse {

bool statusHasBody(int status)
{
    return status >= 200 && status != 204 && status != 304;
}

QByteArrayView errorContentType(const GatewayError &error)
{
    if (!statusHasBody(error.status))
        return {};
    return error.contentType.isEmpty() ? QByteArrayView("application/json") : QByteArrayView(error.contentType);
}

QByteArray errorBody(const GatewayError &error)
{
    if (!statusHasBody(error.status))
        return {};
    if (!error.contentType.isEmpty())
        return error.body;
    QJsonObject o;
    o.insert(QStringLiteral("code"), QString::number(int(error.code)));
    o.insert(QStringLiteral("message"), error.message);
    o.insert(QStringLiteral("description"), error.description);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray buildErrorResponse(const GatewayError &error, bool keepAlive,
                              std::span<const Http1Field> extraFields, bool headRequest)
{
    const QByteArray body = errorBody(error);
    const QByteArray length = QByteArray::number(body.size());
    const bool hasBody = statusHasBody(error.status);
    QVarLengthArray<Http1Field, 8> fields;
    if (hasBody) {
        fields.append({"Content-Type", errorContentType(error)});
        fields.append({"Content-Length", length});
    }
    if (!keepAlive)
        fields.append({"Connection", "close"});
    for (const Http1Field &f : extraFields)
        fields.append(f);
    QByteArray out;
    out.reserve(256 + body.size());
    if (!Http1Writer::appendResponseHead(out, error.status, {}, HttpVersion::Http11,
                                         {fields.constData(), size_t(fields.size())})) {
        // Only a policy-provided extra field can be invalid; answer without the extras.
        out.clear();
        const Http1Field safe[] = {{"Content-Type", errorContentType(error)}, {"Content-Length", length},
                                   {"Connection", "close"}};
        const std::span<const Http1Field> kept = hasBody ? std::span<const Http1Field>(safe)
                                                         : std::span<const Http1Field>(safe).last(1);
        (void)Http1Writer::appendResponseHead(out, error.status, {}, HttpVersion::Http11, kept);
    }
    if (!headRequest)
        out += body;
    return out;
}

} // namespace Gatehouse
