// The request side of an HTTP/2 stream: its header block (pseudo-header fields, cookies joined,
// the header list limit), the HTTP/1.1 head sent upstream, and DATA passed on as the upstream
// takes it (flow control is the backpressure towards the client).
#include "http2stream.h"

#include "forwarding.h"
#include "http2connection.h"
#include "worker.h"

#include "http/http1writer.h"
#include "http/http2fieldnames.h"

#include <cstring>

namespace Gatehouse {

namespace {

constexpr qint64 kStreamRequestHighWater = 256 * 1024;      // upstream output before the request body waits
constexpr qint64 kStreamRequestFlush = 16 * 1024;     // body bytes held back to leave with what follows


bool isPseudo(QByteArrayView name)
{
    return !name.isEmpty() && name.front() == ':';
}

bool parseLength(QByteArrayView text, qint64 &out)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    qint64 v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

} // namespace

void Http2Stream::FieldStore::add(QByteArrayView name, QByteArrayView value)
{
    listBytes += name.size() + value.size() + 32;
    // One resize and two copies: two append() calls each went out of line to check the capacity.
    const qsizetype at = bytes.size();
    bytes.resize(at + name.size() + value.size());
    char *w = bytes.data() + at;
    std::memcpy(w, name.data(), size_t(name.size()));
    if (!value.isEmpty())   // (an empty one may have no data pointer)
        std::memcpy(w + name.size(), value.data(), size_t(value.size()));
    refs.append({at, name.size(), at + name.size(), value.size()});
}

void Http2Stream::FieldStore::clear()
{
    bytes.clear();
    refs.clear();
    // Back to the inline storage if the last block outgrew it (squeeze() costs even when not).
    if (bytes.capacity() > kInlineBytes)
        bytes.squeeze();
    if (refs.capacity() > kInlineRefs)
        refs.squeeze();
    listBytes = 0;
}

void Http2Stream::FieldStore::fill(Http1FieldList &list) const
{
    list.clear();
    const char *base = bytes.constData();
    for (const FieldRef &r : refs) {
        const QByteArrayView name(base + r.name, r.nameSize);
        if (!isPseudo(name))
            list.append(name, {base + r.value, r.valueSize});
    }
}

void Http2Stream::beginHeaders()
{
    m_inTrailers = m_headersDone;
}

void Http2Stream::addHeader(QByteArrayView name, QByteArrayView value)
{
    FieldStore &store = m_inTrailers ? m_requestTrailers : m_requestFields;
    // Past the limit nothing is kept; the request is answered 431 when its block ends. nghttp2
    // bounds the block itself (CONTINUATION count, HPACK table size).
    if (store.listBytes + name.size() + value.size() + 32 > qint64(m_connection->maxHeaderListBytes())) {
        store.listBytes = qint64(m_connection->maxHeaderListBytes()) + 1;
        return;
    }
    store.add(name, value);
}

void Http2Stream::headersComplete(bool trailers, bool endStream)
{
    if (trailers) {
        m_requestTrailers.fill(m_trailers);
        endStream = true;
    } else {
        m_headersDone = true;
        m_lastData = Clock::now();
        // Known before the upstream head is written (a pooled upstream connection is written
        // to at once): a request that ended with its head has no body to frame.
        m_requestEnded = endStream;
        startExchange();
    }
    if (endStream && !m_closed)
        this->endStream();
}

void Http2Stream::startExchange()
{
    // Pseudo-header fields first, then the regular ones; cookies joined (RFC 9113 §8.2.3), the
    // authority as Host for filters and for X-Forwarded-Host.
    QByteArray cookies;
    bool hasHost = false;
    qsizetype methodAt = -1, methodSize = 0, pathAt = -1, pathSize = 0, authorityAt = -1, authoritySize = 0;
    QVarLengthArray<FieldRef, 24> kept;
    for (const FieldRef &r : std::as_const(m_requestFields.refs)) {
        const QByteArrayView name(m_requestFields.bytes.constData() + r.name, r.nameSize);
        const QByteArrayView value(m_requestFields.bytes.constData() + r.value, r.valueSize);
        if (http2Equals(name, ":method")) {
            methodAt = r.value, methodSize = r.valueSize;
        } else if (http2Equals(name, ":path")) {
            pathAt = r.value, pathSize = r.valueSize;
        } else if (http2Equals(name, ":authority")) {
            authorityAt = r.value, authoritySize = r.valueSize;
        } else if (isPseudo(name)) {
            continue;
        } else if (http2Equals(name, "cookie")) {
            if (!cookies.isEmpty())
                cookies.append("; ");
            cookies.append(value.data(), value.size());
            continue;
        } else {
            hasHost = hasHost || http2Equals(name, "host");
            if (http2Equals(name, "content-length") && !parseLength(value, m_declaredLength)) {
                reset(Http2ServerSession::kProtocolError);
                return;
            }
        }
        kept.append(r);
    }
    const bool tooLarge = m_requestFields.listBytes > qint64(m_connection->maxHeaderListBytes());
    if (!cookies.isEmpty() || (!hasHost && authorityAt >= 0)) {
        // Appended to the store: the views are taken below, once it stops growing.
        if (!cookies.isEmpty()) {
            const qsizetype at = m_requestFields.bytes.size();
            m_requestFields.bytes.append("cookie", 6);
            m_requestFields.bytes.append(cookies.constData(), cookies.size());
            kept.append({at, 6, at + 6, cookies.size()});
        }
        if (!hasHost && authorityAt >= 0) {
            const qsizetype at = m_requestFields.bytes.size();
            m_requestFields.bytes.append("host", 4);
            kept.append({at, 4, authorityAt, authoritySize});
        }
    }
    const char *base = m_requestFields.bytes.constData();
    m_headers.clear();
    for (const FieldRef &r : std::as_const(kept)) {
        const QByteArrayView name(base + r.name, r.nameSize);
        if (!isPseudo(name))
            m_headers.append(name, {base + r.value, r.valueSize});
    }
    m_method = methodAt >= 0 ? QByteArrayView(base + methodAt, methodSize) : QByteArrayView();
    m_pathAndQuery = pathAt >= 0 ? QByteArrayView(base + pathAt, pathSize) : QByteArrayView();
    m_authority = authorityAt >= 0 ? QByteArrayView(base + authorityAt, authoritySize) : QByteArrayView();
    HttpMethod labelMethod = HttpMethod::Other;   // stays Other for a method not known
    const bool knownMethod = httpMethodIsKnown(m_method, &labelMethod);
    m_headRequest = labelMethod == HttpMethod::Head;
    m_exchange.begin(labelMethod);
    noteGrpcRequest();
    m_exchange.beginTrace(clientRequest());

    if (tooLarge) {
        respondError({431, GatewayErrorCode::HeadersTooLarge,
                      QStringLiteral("Request header fields too large"),
                      QStringLiteral("The request's header list exceeds %1 bytes")
                          .arg(m_connection->maxHeaderListBytes())});
        return;
    }
    m_methodKind = labelMethod;
    if (!knownMethod || m_methodKind == HttpMethod::Connect) {
        respondError({501, GatewayErrorCode::NotImplemented, QStringLiteral("Not implemented"),
                      QStringLiteral("The method is not supported by the gateway")});
        return;
    }
    route();
}

bool Http2Stream::sendRequestHead()
{
    FieldArray fields;
    ProxyExchange::UpstreamFieldBuffers buffers;
    const bool trailersAccepted = m_exchange.appendUpstreamFields(fields, buffers, clientRequest(),
                                                                  clientView(), "2");
    if (trailersAccepted) {
        fields.append({"TE", "trailers"});
        fields.append({"Connection", "TE"});
    }
    // Framing: the client's content-length when it gave one (DATA is checked against it), none
    // for a request that ended with its head, else chunked (trailers can follow).
    std::array<char, 24> length;
    m_requestChunked = false;
    if (m_requestBuffered) {
        // The body the hooks left, whole, with its own length.
        const qsizetype size = m_requestBuffer.bytes().size();
        if (size > 0 || m_declaredLength >= 0 || m_receivedBytes > 0 || m_methodKind == HttpMethod::Post
            || m_methodKind == HttpMethod::Put || m_methodKind == HttpMethod::Patch)
            fields.append({"Content-Length", decimal(length, size)});
    } else if (m_declaredLength >= 0) {
        fields.append({"Content-Length", decimal(length, m_declaredLength)});
    } else if (!m_requestEnded || m_receivedBytes > 0) {
        m_requestChunked = true;
        fields.append({"Transfer-Encoding", "chunked"});
    } else if (m_methodKind == HttpMethod::Post || m_methodKind == HttpMethod::Put
               || m_methodKind == HttpMethod::Patch) {
        fields.append({"Content-Length", "0"});
    }
    QVarLengthArray<char, 256> target;
    m_exchange.appendUpstreamTarget(target);
    QByteArray &out = m_connection->worker()->scratchBuffer();
    if (!Http1Writer::appendRequestHead(out, m_method, {target.constData(), target.size()},
                                        HttpVersion::Http11, {fields.constData(), size_t(fields.size())})) {
        m_exchange.releaseUpstream(false);
        respondError({400, GatewayErrorCode::BadRequest, QStringLiteral("Bad request"),
                      QStringLiteral("The request cannot be forwarded as HTTP/1.1")});
        return false;
    }
    m_exchange.upstream()->write(out);
    return true;
}

void Http2Stream::data(QByteArrayView bytes)
{
    m_receivedBytes += bytes.size();
    m_lastData = Clock::now();
    if (m_declaredLength >= 0 && m_receivedBytes > m_declaredLength) {
        m_connection->session().consume(m_id, bytes.size());
        reset(Http2ServerSession::kProtocolError);   // more DATA than content-length said
        return;
    }
    m_exchange.captureRequestBody(bytes);
    if (m_discardBody || m_closed) {
        m_connection->session().consume(m_id, bytes.size());
        return;
    }
    if (collectingRequest()) {
        m_connection->session().consume(m_id, bytes.size());
        m_connection->requestSend();
        if (!m_requestBuffer.append(bytes))
            respondError(requestTooLargeError(m_requestBuffer.limit()));
        return;
    }
    if (m_grpcWeb) {
        if (grpcWebData(bytes))
            pumpRequestBody();
        return;
    }
    // Held until the upstream takes it; the client's stream window bounds what can arrive.
    m_pendingBody.append(bytes.data(), bytes.size());
    pumpRequestBody();
}

void Http2Stream::endStream()
{
    m_requestEnded = true;
    if (m_declaredLength >= 0 && m_receivedBytes != m_declaredLength) {
        reset(Http2ServerSession::kProtocolError);
        return;
    }
    m_exchange.captureRequestComplete();
    if (collectingRequest()) {
        requestBodyBuffered();
        return;
    }
    if (m_grpcWeb && !m_discardBody && !m_closed && !m_grpcWeb->requestEnd()) {
        respondError(m_grpcWeb->requestError());
        return;
    }
    pumpRequestBody();
}

void Http2Stream::pumpRequestBody()
{
    if (m_h2Upstream) {
        m_h2Upstream->resumeRequestBody(m_h2Stream);   // it pulls through h2UpstreamRequestBody()
        return;
    }
    UpstreamConnection *upstream = m_exchange.upstream();
    if (!upstream || !upstream->isConnected() || m_responseComplete || m_requestTerminated)
        return;
    if (m_requestBuffered) {
        if (!m_requestBuffer.bytes().isEmpty()) {
            m_requestBodyStarted = true;
            upstream->write(m_requestBuffer.bytes());
        }
        m_requestTerminated = true;
        upstream->flush();
        return;
    }
    if (upstream->bytesToWrite() > kStreamRequestHighWater)
        return;   // resumed by upstreamDrained()
    if (!m_pendingBody.isEmpty()) {
        const qint64 n = m_pendingBody.size();
        m_requestBodyStarted = true;
        if (m_requestChunked) {
            QByteArray chunk;
            Http1Writer::appendChunkHeader(chunk, n);
            upstream->write(chunk);
            upstream->write(m_pendingBody);
            upstream->write("\r\n");
        } else {
            upstream->write(m_pendingBody);
        }
        m_pendingBody.resize(0);
        m_connection->session().consume(m_id, n);   // the client may send that much more
        m_connection->requestSend();
    }
    if (m_requestEnded) {
        m_requestTerminated = true;
        m_exchange.requestSent();
        if (m_requestChunked) {
            QByteArray last;
            if (!Http1Writer::appendLastChunk(last, m_trailers.fields())) {
                last.clear();
                (void)Http1Writer::appendLastChunk(last);
            }
            upstream->write(last);
        }
        if (m_deadlineKind == Deadline::UpstreamResponse && !m_responseHeadSent)
            setDeadline(Deadline::UpstreamResponse, m_connection->worker()->pool().settings().requestTimeout);
        upstream->flush();
        return;
    }
    if (upstream->bytesToWrite() >= kStreamRequestFlush)
        upstream->flush();
}

} // namespace Gatehouse
