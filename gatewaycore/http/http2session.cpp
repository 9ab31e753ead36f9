// The server side of one HTTP/2 connection over nghttp2: callbacks to the handler, SETTINGS and
// options from the limits, Rapid Reset accounting.
#include "http2session.h"

#include "http2fieldnames.h"
#include "http2memory.h"

#include <QVarLengthArray>

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>

namespace Gatehouse {

namespace {

QByteArrayView sessionBytes(const uint8_t *data, size_t length)
{
    return {reinterpret_cast<const char *>(data), qsizetype(length)};
}

// Lowercase copies of the names and the nghttp2_nv array pointing at them and at the values
// (nghttp2 copies both when the frame is submitted). Only the fields in `checked` are checked.
class NameValues
{
public:
    bool build(QByteArrayView status, std::span<const Http1Field> fields, Http1Writer::FieldRange checked = {})
    {
        qsizetype nameBytes = 0;
        for (const Http1Field &f : fields)
            nameBytes += f.name.size();
        m_names.resize(nameBytes);
        char *w = m_names.data();
        if (!status.isEmpty())
            add(":status", status);
        qsizetype index = 0;
        for (const Http1Field &f : fields) {
            http2LowercaseName(f.name, w);
            const QByteArrayView name(w, f.name.size());
            w += f.name.size();
            const bool check = index >= checked.begin && index < checked.end;
            ++index;
            if (check
                && (!nghttp2_check_header_name(reinterpret_cast<const uint8_t *>(name.data()), size_t(name.size()))
                    || !nghttp2_check_header_value(reinterpret_cast<const uint8_t *>(f.value.data()),
                                                   size_t(f.value.size()))))
                return false;
            add(name, f.value);
        }
        return true;
    }
    const nghttp2_nv *data() const { return m_nv.constData(); }
    size_t size() const { return size_t(m_nv.size()); }

private:
    void add(QByteArrayView name, QByteArrayView value)
    {
        nghttp2_nv nv;
        nv.name = reinterpret_cast<uint8_t *>(const_cast<char *>(name.data()));
        nv.namelen = size_t(name.size());
        nv.value = reinterpret_cast<uint8_t *>(const_cast<char *>(value.data()));
        nv.valuelen = size_t(value.size());
        nv.flags = NGHTTP2_NV_FLAG_NONE;
        m_nv.append(nv);
    }

    QVarLengthArray<char, 1024> m_names;
    QVarLengthArray<nghttp2_nv, 32> m_nv;
};

} // namespace

Http2Preface matchHttp2Preface(QByteArrayView received)
{
    static constexpr char kPreface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    static_assert(sizeof kPreface - 1 == kHttp2PrefaceSize);
    const qsizetype n = std::min(received.size(), kHttp2PrefaceSize);
    if (std::memcmp(received.data(), kPreface, size_t(n)) != 0)
        return Http2Preface::NoMatch;
    return n == kHttp2PrefaceSize ? Http2Preface::Match : Http2Preface::Partial;
}

struct Http2ServerSession::Callbacks
{
    static Http2ServerSession *self(void *userData) { return static_cast<Http2ServerSession *>(userData); }

    static int beginHeaders(nghttp2_session *, const nghttp2_frame *frame, void *userData)
    {
        if (frame->hd.type == NGHTTP2_HEADERS)
            self(userData)->m_handler->http2BeginHeaders(frame->hd.stream_id);
        return 0;
    }

    static int header(nghttp2_session *, const nghttp2_frame *frame, const uint8_t *name,
                      size_t nameLength, const uint8_t *value, size_t valueLength, uint8_t,
                      void *userData)
    {
        if (frame->hd.type == NGHTTP2_HEADERS)
            self(userData)->m_handler->http2Header(frame->hd.stream_id, sessionBytes(name, nameLength),
                                                   sessionBytes(value, valueLength));
        return 0;
    }

    static int frameReceived(nghttp2_session *, const nghttp2_frame *frame, void *userData)
    {
        Http2ServerSession *s = self(userData);
        switch (frame->hd.type) {
        case NGHTTP2_HEADERS:
            if (frame->headers.cat == NGHTTP2_HCAT_REQUEST || frame->headers.cat == NGHTTP2_HCAT_HEADERS) {
                s->m_handler->http2HeadersComplete(frame->hd.stream_id,
                                                   frame->headers.cat == NGHTTP2_HCAT_HEADERS,
                                                   frame->hd.flags & NGHTTP2_FLAG_END_STREAM);
            }
            return 0;
        case NGHTTP2_DATA:
            if (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)
                s->m_handler->http2EndStream(frame->hd.stream_id);
            return 0;
        case NGHTTP2_RST_STREAM:
            s->countReset();
            return s->m_failed ? NGHTTP2_ERR_CALLBACK_FAILURE : 0;
        default:
            return 0;
        }
    }

    static int dataChunk(nghttp2_session *, uint8_t, int32_t stream, const uint8_t *data,
                         size_t length, void *userData)
    {
        // The connection's window comes back as the bytes arrive, the stream's only as they go on
        // (consume()): a stream whose upstream stalls holds back its own window, not the other
        // streams'. What waits is bounded by the stream window times the concurrent streams.
        Http2ServerSession *session = self(userData);
        nghttp2_session_consume_connection(session->m_session, length);
        session->m_handler->http2Data(stream, sessionBytes(data, length));
        return 0;
    }

    static int streamClosed(nghttp2_session *, int32_t stream, uint32_t errorCode, void *userData)
    {
        self(userData)->m_handler->http2StreamClosed(stream, errorCode);
        return 0;
    }

    static ssize_t readBody(nghttp2_session *, int32_t stream, uint8_t *buffer, size_t length,
                            uint32_t *flags, nghttp2_data_source *source, void *)
    {
        auto *s = static_cast<Http2ServerSession *>(source->ptr);
        bool end = false;
        s->m_trailersSubmitted = false;
        const qint64 n = s->m_handler->http2ReadBody(
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

Http2ServerSession::Http2ServerSession(Http2SessionHandler *handler, const Http2Limits &limits)
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

    // Request bodies are acknowledged per stream as they go on, not as they arrive (backpressure);
    // the connection's window as they arrive (dataChunk).
    nghttp2_option_set_no_auto_window_update(option, 1);
    nghttp2_option_set_no_closed_streams(option, 1);
    // Floods: SETTINGS and PING acknowledgements the client does not read, endless CONTINUATION,
    // oversized SETTINGS. The session fails instead of queueing without bound.
    nghttp2_option_set_max_outbound_ack(option, 256);
    nghttp2_option_set_max_settings(option, 32);
    nghttp2_option_set_max_continuations(option, 8);
    // nghttp2's own RST_STREAM limiter, a backstop behind countReset() (which answers first).
    const auto windowSeconds = std::max<qint64>(1, m_limits.resetWindow.count() / 1000);
    nghttp2_option_set_stream_reset_rate_limit(option, uint64_t(m_limits.maxResets) * 2,
                                               uint64_t(std::max<qint64>(1, 2 * m_limits.maxResets / windowSeconds)));
    if (nghttp2_session_server_new3(&m_session, callbacks, this, option, http2Memory()) != 0) {
        m_session = nullptr;
        m_failed = true;
    }
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(callbacks);
}

Http2ServerSession::~Http2ServerSession()
{
    nghttp2_session_del(m_session);
}

bool Http2ServerSession::start()
{
    if (!m_session)
        return false;
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, m_limits.maxConcurrentStreams},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, m_limits.maxHeaderListBytes},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, m_limits.streamWindowBytes},
        {NGHTTP2_SETTINGS_HEADER_TABLE_SIZE, m_limits.headerTableBytes},
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_NO_RFC7540_PRIORITIES, 1},
    };
    if (nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, settings, std::size(settings)) != 0)
        return false;
    return nghttp2_session_set_local_window_size(m_session, NGHTTP2_FLAG_NONE, 0,
                                                 int32_t(m_limits.connectionWindowBytes))
           == 0;
}

bool Http2ServerSession::upgrade(QByteArrayView settings, bool headRequest)
{
    return m_session
           && nghttp2_session_upgrade2(m_session, reinterpret_cast<const uint8_t *>(settings.data()),
                                       size_t(settings.size()), headRequest, nullptr)
                  == 0;
}

bool Http2ServerSession::receive(QByteArrayView input)
{
    if (m_failed || !m_session)
        return false;
    const ssize_t n = nghttp2_session_mem_recv(m_session, reinterpret_cast<const uint8_t *>(input.data()),
                                               size_t(input.size()));
    if (n < 0 || m_failed) {
        // Fatal for the connection: a bad preface, a flood, a failing callback. nghttp2 queued a
        // GOAWAY for the protocol errors it found itself; the others get one here.
        const bool flood = n == NGHTTP2_ERR_FLOODED || n == NGHTTP2_ERR_TOO_MANY_CONTINUATIONS
                           || n == NGHTTP2_ERR_TOO_MANY_SETTINGS;
        if (!m_failed)
            nghttp2_session_terminate_session(m_session, flood ? kEnhanceYourCalm : kProtocolError);
        m_failed = true;
        return false;
    }
    return true;
}

QByteArrayView Http2ServerSession::nextOutput()
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
    return sessionBytes(data, size_t(n));
}

bool Http2ServerSession::isAlive() const
{
    return m_session && (nghttp2_session_want_read(m_session) || nghttp2_session_want_write(m_session));
}

bool Http2ServerSession::wantsRead() const
{
    return m_session && !m_failed && nghttp2_session_want_read(m_session);
}

bool Http2ServerSession::submitResponse(qint32 stream, int status, std::span<const Http1Field> fields,
                                        bool hasBody, Http1Writer::FieldRange checked)
{
    if (!m_session || status < 100 || status > 999)
        return false;
    char statusText[3] = {char('0' + status / 100), char('0' + status / 10 % 10), char('0' + status % 10)};
    NameValues nv;
    if (!nv.build(QByteArrayView(statusText, 3), fields, checked))
        return false;
    nghttp2_data_provider provider;
    provider.source.ptr = this;
    provider.read_callback = &Callbacks::readBody;
    return nghttp2_submit_response(m_session, stream, nv.data(), nv.size(), hasBody ? &provider : nullptr)
           == 0;
}

bool Http2ServerSession::submitTrailers(qint32 stream, std::span<const Http1Field> fields,
                                        Http1Writer::FieldRange checked)
{
    NameValues nv;
    if (!m_session || !nv.build({}, fields, checked))
        return false;
    if (nghttp2_submit_trailer(m_session, stream, nv.data(), nv.size()) != 0)
        return false;
    m_trailersSubmitted = true;
    return true;
}

void Http2ServerSession::resumeData(qint32 stream)
{
    if (m_session)
        nghttp2_session_resume_data(m_session, stream);
}

void Http2ServerSession::resetStream(qint32 stream, quint32 errorCode)
{
    if (m_session)
        nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, stream, errorCode);
}

void Http2ServerSession::consume(qint32 stream, qint64 count)
{
    if (m_session && count > 0)
        nghttp2_session_consume_stream(m_session, stream, size_t(count));   // gone: nothing to do
}

void Http2ServerSession::shutdown()
{
    if (m_session)
        nghttp2_submit_goaway(m_session, NGHTTP2_FLAG_NONE,
                              nghttp2_session_get_last_proc_stream_id(m_session), kNoError, nullptr, 0);
}

void Http2ServerSession::goAway(qint32 lastStream, quint32 errorCode)
{
    if (m_session)
        nghttp2_submit_goaway(m_session, NGHTTP2_FLAG_NONE, lastStream, errorCode, nullptr, 0);
}

void Http2ServerSession::terminate(quint32 errorCode)
{
    if (m_session)
        nghttp2_session_terminate_session(m_session, errorCode);
    m_failed = true;
}

void Http2ServerSession::countReset()
{
    // Rapid Reset (CVE-2023-44487): streams opened and cancelled at once cost the gateway work
    // (routing, filters, upstream requests) and the client nothing. A fixed window per connection.
    const auto now = std::chrono::steady_clock::now();
    if (now - m_resetWindowStart >= m_limits.resetWindow) {
        m_resetWindowStart = now;
        m_resets = 0;
    }
    if (++m_resets > m_limits.maxResets && !m_failed) {
        nghttp2_session_terminate_session(m_session, kEnhanceYourCalm);
        m_failed = true;
    }
}

} // namespace Gatehouse
