// What a reverse proxy does to messages whatever the client's HTTP version: which fields are
// forwarded, X-Forwarded-* and Via, and the gateway's answers for routing and upstream failures.
#pragma once

#include "errorresponse.h"
#include "upstreamconnection.h"

#include "http/http1head.h"
#include "http/http1writer.h"
#include "http/http1types.h"
#include "pipeline/requestcontext.h"

#include <QByteArrayView>
#include <QVarLengthArray>

#include <array>
#include <charconv>
#include <optional>

namespace Gatehouse {

// Hop-by-hop fields (RFC 9110 §7.6.1) and the framing fields the gateway writes itself. A switch
// on the length first: most names are compared with one candidate or none. Inline: the HTTP/1.1
// path classifies every field it forwards with these.
inline bool isHopByHop(QByteArrayView name)
{
    switch (name.size()) {
    case 2: return httpNameIs(name, "te");
    case 7: return httpNameIs(name, "upgrade") || httpNameIs(name, "trailer");
    case 10: return httpNameIs(name, "connection") || httpNameIs(name, "keep-alive");
    case 14: return httpNameIs(name, "content-length");
    case 16: return httpNameIs(name, "proxy-connection");
    case 17: return httpNameIs(name, "transfer-encoding");
    case 18: return httpNameIs(name, "proxy-authenticate");
    case 19: return httpNameIs(name, "proxy-authorization");
    default: return false;
    }
}

inline bool isViaField(QByteArrayView name)
{
    return name.size() == 3 && httpNameIs(name, "via");
}

// What happens to a request field on its way upstream.
enum class RequestField { Forward = 1, Drop, ForwardedFor, Via };

inline RequestField classifyRequestField(QByteArrayView name)
{
    if (isHopByHop(name))
        return RequestField::Drop;
    switch (name.size()) {
    case 3: return httpNameIs(name, "via") ? RequestField::Via : RequestField::Forward;
    case 4: return httpNameIs(name, "host") ? RequestField::Drop : RequestField::Forward;
    case 6: return httpNameIs(name, "expect") ? RequestField::Drop : RequestField::Forward;
    case 15:
        return httpNameIs(name, "x-forwarded-for") ? RequestField::ForwardedFor : RequestField::Forward;
    case 16: return httpNameIs(name, "x-forwarded-host") ? RequestField::Drop : RequestField::Forward;
    case 17: return httpNameIs(name, "x-forwarded-proto") ? RequestField::Drop : RequestField::Forward;
    default: return RequestField::Forward;
    }
}

// The options of a head's Connection fields, split once: the fields they name are hop-by-hop
// too ("Connection: close, X-Secret"). Then each forwarded field costs a length comparison or two.
class ConnectionOptions
{
public:
    explicit ConnectionOptions(const Http1FieldList &headers)
    {
        for (const Http1Field &f : headers) {
            if (f.name.size() == 10 && httpNameIs(f.name, "connection"))
                split(f.value);
        }
    }
    bool names(QByteArrayView field) const
    {
        for (QByteArrayView option : m_options) {
            if (httpEqualsIgnoreCase(option, field))
                return true;
        }
        return false;
    }

private:
    // The list syntax of httpListContainsToken(): elements separated by commas, OWS trimmed.
    void split(QByteArrayView list)
    {
        const char *p = list.data();
        const char *const end = p + list.size();
        while (p < end) {
            while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
                ++p;
            const char *start = p;
            while (p < end && *p != ',')
                ++p;
            const char *stop = p;
            while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t'))
                --stop;
            if (stop > start)
                m_options.append(QByteArrayView(start, stop - start));
        }
    }

    QVarLengthArray<QByteArrayView, 4> m_options;
};

// A field value built from pieces on the stack (longer values spill to the heap): the combined
// X-Forwarded-For and Via values.
using ValueBuffer = QVarLengthArray<char, 128>;

inline void appendValue(ValueBuffer &buffer, QByteArrayView bytes)
{
    buffer.append(bytes.data(), bytes.size());
}

inline QByteArrayView valueView(const ValueBuffer &buffer)
{
    return {buffer.constData(), buffer.size()};
}

inline QByteArrayView decimal(std::array<char, 24> &buffer, qint64 value)
{
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return {buffer.data(), result.ptr - buffer.data()};
}

// The fields of one head being written: views into the message and into value buffers that
// outlive the array.
using FieldArray = QVarLengthArray<Http1Field, 32>;

// The upstream's response fields as the client gets them: hop-by-hop fields and those its
// Connection field names dropped, the fields policies removed dropped, Via extended with ours
// (named `viaName`: "Via", or "via" for HTTP/2), then the policies' own fields. `edits` is null
// when no filter ran. `via` holds the Via value and must outlive `fields`.
// `edited` (optional) receives where the fields policies set are in `fields`.
inline void appendResponseFields(FieldArray &fields, ValueBuffer &via, const Http1FieldList &upstream,
                                 const RequestContext *edits, QByteArrayView viaName,
                                 Http1Writer::FieldRange *edited = nullptr)
{
    const bool removals = edits && !edits->removeResponseHeaders.isEmpty();
    const ConnectionOptions connectionOptions(upstream);
    for (const Http1Field &f : upstream) {
        if (isHopByHop(f.name) || connectionOptions.names(f.name))
            continue;
        if (removals && edits->removesResponseField(f.name))
            continue;
        if (isViaField(f.name)) {
            appendValue(via, f.value);
            appendValue(via, ", ");
            continue;
        }
        fields.append(f);
    }
    appendValue(via, "1.1 gatehouse");
    fields.append({viaName, valueView(via)});
    const qsizetype editedBegin = fields.size();
    if (edits) {
        for (const OwnedField &f : edits->responseHeaders)
            fields.append({f.name, f.value});
    }
    if (edited)
        *edited = {editedBegin, fields.size()};
}

// Whether a failed request may be sent again to another endpoint once it reached one.
inline bool isIdempotent(HttpMethod m)
{
    return m == HttpMethod::Get || m == HttpMethod::Head || m == HttpMethod::Options
           || m == HttpMethod::Put || m == HttpMethod::Delete || m == HttpMethod::Trace;
}

// The gateway's answers, one place for every client protocol.
GatewayError upstreamError(UpstreamFailure failure);
GatewayError noConfigError();
GatewayError invalidPathError();
GatewayError routeNotFoundError(QByteArrayView method, QByteArrayView path);
GatewayError methodNotAllowedError(QByteArrayView method, QByteArrayView path, QByteArrayView allow);
GatewayError noEndpointError();
GatewayError circuitOpenError();
GatewayError policyTimeoutError();
GatewayError requestTimeoutError(const QString &description);

// An HTTP/2 upstream's Content-Length (nghttp2 checked its form), or none when absent or unusable.
std::optional<qint64> contentLengthOf(const Http1FieldList &fields);

} // namespace Gatehouse
