// The client side of one HTTP/2 connection over nghttp2: requests with pulled bodies, response
// events, our SETTINGS and the bounds on what the upstream may send.
#include "http2clientsession.h"

#include "http2fieldnames.h"
#include "http2memory.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>

namespace Gatehouse {

namespace {

QByteArrayView bytes(const uint8_t *data, size_t length)
{
    return {reinterpret_cast<const char *>(data), qsizetype(length)};
}

// Fields HTTP/2 forbids (RFC 9113 §8.2.2), and Host, which :authority replaces.
bool isDropped(QByteArrayView lowerName, QByteArrayView value)
{
    switch (lowerName.size()) {
    case 2:
        return http2Equals(lowerName, "te") && !http2Equals(value, "trailers");
    case 4:
        return http2Equals(lowerName, "host");
    case 7:
        return http2Equals(lowerName, "upgrade");
    case 10:
        return http2Equals(lowerName, "connection") || http2Equals(lowerName, "keep-alive");
    case 16:
        return http2Equals(lowerName, "proxy-connection");
    case 17:
        return http2Equals(lowerName, "transfer-encoding");
    default:
        return false;
    }
}

// A value unique to each request: indexing it would only churn the upstream's HPACK table.
bool isNeverIndexed(QByteArrayView lowerName)
{
    return http2Equals(lowerName, "traceparent");
}

// The nghttp2_nv array of a request or trailers: pseudo-header fields first, then the regular
// ones lowercased into one buffer (nghttp2 copies names and values when the frame is submitted).
class FieldBlock
{
public:
    void addPseudo(const char *name, QByteArrayView value) { add(QByteArrayView(name), value); }

    // Fields outside `checked` are known valid (received over HTTP/2 or HTTP/1.1, which checked
    // them, or built by the gateway): only lowercased, not checked again.
    bool addFields(std::span<const Http1Field> fields, Http1Writer::FieldRange checked = {})
    {
        qsizetype nameBytes = 0;
        for (const Http1Field &f : fields)
            nameBytes += f.name.size();
        m_names.resize(nameBytes);
        char *w = m_names.data();
        qsizetype index = 0;
        for (const Http1Field &f : fields) {
            http2LowercaseName(f.name, w);
            const QByteArrayView name(w, f.name.size());
            w += f.name.size();
            if (index >= checked.begin && index < checked.end
                && (!nghttp2_check_header_name(reinterpret_cast<const uint8_t *>(name.data()), size_t(name.size()))
                    || !nghttp2_check_header_value(reinterpret_cast<const uint8_t *>(f.value.data()),
                                                   size_t(f.value.size()))))
                return false;
            ++index;
            if (!isDropped(name, f.value))
                add(name, f.value, isNeverIndexed(name) ? NGHTTP2_NV_FLAG_NO_INDEX : NGHTTP2_NV_FLAG_NONE);
        }
        return true;
    }
    const nghttp2_nv *data() const { return m_nv.constData(); }
    size_t size() const { return size_t(m_nv.size()); }

private:
    void add(QByteArrayView name, QByteArrayView value, uint8_t flags = NGHTTP2_NV_FLAG_NONE)
    {
        nghttp2_nv nv;
        nv.name = reinterpret_cast<uint8_t *>(const_cast<char *>(name.data()));
        nv.namelen = size_t(name.size());
        nv.value = reinterpret_cast<uint8_t *>(const_cast<char *>(value.data()));
        nv.valuelen = size_t(value.size());
        nv.flags = flags;
        m_nv.append(nv);
    }

    QVarLengthArray<char, 1024> m_names;
    QVarLengthArray<nghttp2_nv, 32> m_nv;
};

int parseStatus(QByteArrayView value)
{
    if (value.size() != 3)
        return 0;
    int status = 0;
    for (char c : value) {
        if (c < '0' || c > '9')
            return 0;
        status = status * 10 + (c - '0');
    }
    return status;
}

} // namespace

struct Http2ClientSession::Callbacks
{
    static Http2ClientSession *self(void *userData) { return static_cast<Http2ClientSession *>(userData); }

    static int beginHeaders(nghttp2_session *, const nghttp2_frame *frame, void *userData)
    {
        Http2ClientSession *s = self(userData);
        if (frame->hd.type == NGHTTP2_HEADERS) {
            s->m_blockStream = frame->hd.stream_id;
            s->m_blockBytes = 0;
            s->m_blockStatus = 0;
            s->m_handler->http2ResponseBegin(frame->hd.stream_id);
        }
        return 0;
    }

    static int header(nghttp2_session *, const nghttp2_frame *frame, const uint8_t *name,
                      size_t nameLength, const uint8_t *value, size_t valueLength, uint8_t,
                      void *userData)
    {
        Http2ClientSession *s = self(userData);
        if (frame->hd.type != NGHTTP2_HEADERS)
            return 0;
        const qint32 stream = frame->hd.stream_id;
        s->m_blockBytes += qint64(nameLength + valueLength + 32);
        if (s->m_blockBytes > qint64(s->m_limits.maxHeaderListBytes)) {
            // nghttp2 resets the stream (INTERNAL_ERROR); the handler hears why when it closes.
            if (!s->m_oversized.contains(stream))
                s->m_oversized.append(stream);
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
        }
        const QByteArrayView n = bytes(name, nameLength);
        const QByteArrayView v = bytes(value, valueLength);
        if (n == ":status")
            s->m_blockStatus = parseStatus(v);
        s->m_handler->http2ResponseField(stream, n, v);
        return 0;
    }

    static int frameReceived(nghttp2_session *, const nghttp2_frame *frame, void *userData)
    {
        Http2ClientSession *s = self(userData);
        switch (frame->hd.type) {
        case NGHTTP2_HEADERS: {
            if (s->m_oversized.contains(frame->hd.stream_id))
                return 0;
            const int status = s->m_blockStream == frame->hd.stream_id ? s->m_blockStatus : 0;
            const Http2HeadKind kind = status == 0 ? Http2HeadKind::Trailers
                                       : status < 200 ? Http2HeadKind::Interim
                                                      : Http2HeadKind::Final;
            s->m_handler->http2ResponseHeadersComplete(frame->hd.stream_id, kind, status,
                                                       frame->hd.flags & NGHTTP2_FLAG_END_STREAM);
            return 0;
        }
        case NGHTTP2_DATA:
            if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)
                s->m_handler->http2ResponseEnd(frame->hd.stream_id);
            return 0;
        case NGHTTP2_GOAWAY:
            s->m_goAway = true;
            s->m_handler->http2GoAway(frame->goaway.last_stream_id, frame->goaway.error_code);
            return 0;
        default:
            return 0;
        }
    }

    static int dataChunk(nghttp2_session *, uint8_t, int32_t stream, const uint8_t *data,
                         size_t length, void *userData)
    {
        self(userData)->m_handler->http2ResponseData(stream, bytes(data, length));
        return 0;
    }

    static int streamClosed(nghttp2_session *, int32_t stream, uint32_t errorCode, void *userData)
    {
        Http2ClientSession *s = self(userData);
        --s->m_openStreams;
        const qsizetype oversized = s->m_oversized.indexOf(stream);
        if (oversized >= 0) {
            s->m_oversized.remove(oversized);
            errorCode = kHeaderListTooLarge;
        }
        s->m_handler->http2StreamClosed(stream, errorCode);
        return 0;
    }

    static ssize_t readBody(nghttp2_session *, int32_t stream, uint8_t *buffer, size_t length,
                            uint32_t *flags, nghttp2_data_source *source, void *)
    {
        auto *s = static_cast<Http2ClientSession *>(source->ptr);
        bool end = false;
        s->m_trailersSubmitted = false;
        const qint64 n = s->m_handler->http2RequestBody(
            stream, std::span<char>(reinterpret_cast<char *>(buffer), length), end);
        if (n < 0)
            return NGHTTP2_ERR_DEFERRED;
        if (end) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            if (s->m_trailersSubmitted)
                *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
        }
        return ssize_t(n);
    }
};

Http2ClientSession::Http2ClientSession(Http2ClientHandler *handler, const Http2ClientLimits &limits)
    : m_handler(handler), m_limits(limits)
{
    nghttp2_session_callbacks *callbacks = nullptr;
    nghttp2_option *option = nullptr;
    if (nghttp2_session_callbacks_new(&callbacks) != 0 || nghttp2_option_new(&option) != 0) {
        nghttp2_session_callbacks_del(callbacks);
        m_failed = true;
        return;
    }
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &Callbacks::beginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &Callbacks::header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Callbacks::frameReceived);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &Callbacks::dataChunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Callbacks::streamClosed);

    // Response bodies are acknowledged as the client takes them, not as they arrive.
    nghttp2_option_set_no_auto_window_update(option, 1);
    nghttp2_option_set_no_closed_streams(option, 1);
    // Until the upstream's SETTINGS arrive, assume RFC 9113's recommended minimum.
    nghttp2_option_set_peer_max_concurrent_streams(option, std::min<quint32>(100, m_limits.maxConcurrentStreams));
    // An upstream is less hostile than a client, but a broken one must not grow our memory.
    nghttp2_option_set_max_outbound_ack(option, 256);
    nghttp2_option_set_max_settings(option, 32);
    nghttp2_option_set_max_continuations(option, 8);
    nghttp2_option_set_max_deflate_dynamic_table_size(option, 4096);
    if (nghttp2_session_client_new3(&m_session, callbacks, this, option, http2Memory()) != 0) {
        m_session = nullptr;
        m_failed = true;
    }
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(callbacks);
}

Http2ClientSession::~Http2ClientSession()
{
    nghttp2_session_del(m_session);
}

bool Http2ClientSession::start()
{
    if (!m_session)
        return false;
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, m_limits.maxHeaderListBytes},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, m_limits.streamWindowBytes},
        {NGHTTP2_SETTINGS_HEADER_TABLE_SIZE, m_limits.headerTableBytes},
    };
    if (nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, settings, std::size(settings)) != 0)
        return false;
    return nghttp2_session_set_local_window_size(m_session, NGHTTP2_FLAG_NONE, 0,
                                                 int32_t(m_limits.connectionWindowBytes))
           == 0;
}

qint32 Http2ClientSession::submitRequest(QByteArrayView method, QByteArrayView scheme,
                                         QByteArrayView authority, QByteArrayView path,
                                         std::span<const Http1Field> fields, bool hasBody,
                                         Http1Writer::FieldRange checked)
{
    if (!m_session || m_failed || m_goAway || method.isEmpty() || path.isEmpty())
        return -1;
    FieldBlock block;
    block.addPseudo(":method", method);
    block.addPseudo(":scheme", scheme);
    if (!authority.isEmpty())
        block.addPseudo(":authority", authority);
    block.addPseudo(":path", path);
    if (!block.addFields(fields, checked))
        return -1;
    nghttp2_data_provider provider;
    provider.source.ptr = this;
    provider.read_callback = &Callbacks::readBody;
    const int32_t id = nghttp2_submit_request(m_session, nullptr, block.data(), block.size(),
                                              hasBody ? &provider : nullptr, nullptr);
    if (id < 0)
        return -1;
    ++m_openStreams;
    return id;
}

bool Http2ClientSession::submitTrailers(qint32 stream, std::span<const Http1Field> fields)
{
    FieldBlock block;
    if (!m_session || !block.addFields(fields) || block.size() == 0)
        return false;
    if (nghttp2_submit_trailer(m_session, stream, block.data(), block.size()) != 0)
        return false;
    m_trailersSubmitted = true;
    return true;
}

void Http2ClientSession::resumeRequestBody(qint32 stream)
{
    if (m_session)
        nghttp2_session_resume_data(m_session, stream);
}

void Http2ClientSession::resetStream(qint32 stream, quint32 errorCode)
{
    if (m_session)
        nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, stream, errorCode);
}

void Http2ClientSession::consume(qint32 stream, qint64 count)
{
    if (!m_session || count <= 0)
        return;
    if (nghttp2_session_consume(m_session, stream, size_t(count)) != 0)
        nghttp2_session_consume_connection(m_session, size_t(count));
}

void Http2ClientSession::consumeStream(qint32 stream, qint64 count)
{
    if (m_session && count > 0)
        nghttp2_session_consume_stream(m_session, stream, size_t(count));   // gone: nothing to do
}

void Http2ClientSession::consumeConnection(qint64 count)
{
    if (m_session && count > 0)
        nghttp2_session_consume_connection(m_session, size_t(count));
}

void Http2ClientSession::shutdown()
{
    if (m_session)
        nghttp2_submit_goaway(m_session, NGHTTP2_FLAG_NONE, 0, kNoError, nullptr, 0);
}

void Http2ClientSession::terminate(quint32 errorCode)
{
    if (m_session)
        nghttp2_session_terminate_session(m_session, errorCode);
    m_failed = true;
}

bool Http2ClientSession::receive(QByteArrayView input)
{
    if (m_failed || !m_session)
        return false;
    const ssize_t n = nghttp2_session_mem_recv(m_session, reinterpret_cast<const uint8_t *>(input.data()),
                                               size_t(input.size()));
    if (n < 0) {
        const bool flood = n == NGHTTP2_ERR_FLOODED || n == NGHTTP2_ERR_TOO_MANY_CONTINUATIONS
                           || n == NGHTTP2_ERR_TOO_MANY_SETTINGS;
        nghttp2_session_terminate_session(m_session, flood ? kEnhanceYourCalm : kProtocolError);
        m_failed = true;
        return false;
    }
    return true;
}

QByteArrayView Http2ClientSession::nextOutput()
{
    if (!m_session)
        return {};
    const uint8_t *data = nullptr;
    const ssize_t n = nghttp2_session_mem_send(m_session, &data);
    if (n <= 0) {
        if (n < 0)
            m_failed = true;
        return {};
    }
    return bytes(data, size_t(n));
}

quint32 Http2ClientSession::peerMaxConcurrentStreams() const
{
    return m_session ? nghttp2_session_get_remote_settings(m_session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS)
                     : 0;
}

bool Http2ClientSession::canOpenStream() const
{
    if (!m_session || m_failed || m_goAway)
        return false;
    const quint32 cap = std::min(peerMaxConcurrentStreams(), m_limits.maxConcurrentStreams);
    return quint32(m_openStreams) < cap && nghttp2_session_get_next_stream_id(m_session) < (1u << 31) - 2;
}

bool Http2ClientSession::isAlive() const
{
    return m_session && !m_failed
           && (nghttp2_session_want_read(m_session) || nghttp2_session_want_write(m_session));
}

} // namespace Gatehouse
