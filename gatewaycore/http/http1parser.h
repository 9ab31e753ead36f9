// Strict, incremental HTTP/1.1 message parser (RFC 9112/9110) for both sides of the proxy.
#pragma once

#include "http/http1head.h"
#include "http/http1types.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QVarLengthArray>

namespace Gatehouse {

enum class Http1Event {
    NeedData = 1,    // everything offered was consumed; call again when more bytes arrive
    Head,            // head() holds a complete, validated head
    Body,            // Http1Step::data holds body bytes (a slice of the input: no copy)
    MessageComplete, // the message ended; trailers() holds the chunked trailers, if any
    Paused,          // the stream left HTTP/1.1 (see Http1Head::upgrade); nothing is consumed
    Error,           // error() says why; the parser refuses everything from now on
};

struct Http1Step
{
    Http1Event event = Http1Event::NeedData;
    qsizetype consumed = 0; // bytes of the input used by this step; 0 with Error and Paused
    QByteArrayView data;    // body bytes with Http1Event::Body (a slice of the input: use or copy
                            // them before dropping the consumed bytes), else empty
};

struct Http1Failure
{
    Http1Error code = Http1Error::InvalidStartLine;
    const char *reason = "";  // short static sentence, e.g. "Transfer-Encoding must end with chunked"
    qint64 offset = 0;        // stream offset of the offending byte (for logs)
};

// Pull parser: the caller offers bytes with next() and gets one event back per call, with the
// number of bytes that event used. Why pull and not callbacks: the proxy controls the pace (it
// stops asking for body bytes while the other side is not writable: backpressure for free), no
// user code runs on the parser's stack (a callback cannot destroy the connection mid-parse), and
// there is one call per event, never per byte. Typical loop:
//
//     QByteArrayView in = readBuffer;
//     for (;;) {
//         const Http1Step step = parser.next(in);
//         in = in.sliced(step.consumed);
//         ... handle step.event; stop on NeedData, Paused or Error ...
//     }
//
// Bytes are never copied except the head and trailers, which are kept in parser-owned buffers (one
// memcpy, capacity reused from message to message) so that head() survives the caller compacting
// or growing its read buffer while, for instance, authentication is pending. Body bytes are
// returned as slices of the input. Memory is bounded by Http1Limits whatever the peer sends.
//
// Strictness (every refusal closes the connection; see Http1Error):
// - CRLF everywhere; a bare LF or bare CR is refused even where RFC 9112 §2.2 allows a recipient
//   to accept LF alone: a proxy that is more lenient than the server behind it is a smuggling
//   vector. Up to Http1Limits::maxEmptyLinesBeforeMessage CRLFs before a message are skipped.
// - No obs-fold, no whitespace before ':', token names, no control bytes in values or targets.
// - Exactly one Content-Length (plain digits), or one Transfer-Encoding that is exactly
//   "chunked"; never both; no Transfer-Encoding in HTTP/1.0. The same rules apply to upstream
//   responses: the gateway answers 502 rather than guess a framing its client may read differently.
// - Chunk sizes are bare hex digits (no spaces, no "0x"); extensions must be well-formed and are
//   bounded, then dropped; every chunk's data must end with CRLF.
// - Requests: registered methods only (else 501), HTTP/1.0 or HTTP/1.1 only (else 505), exactly
//   one valid Host in HTTP/1.1 (unless setRequireHost(false)), origin-form or http(s)
//   absolute-form targets, authority-form with CONNECT and '*' with OPTIONS only.
// - After a message with keepAlive == false, any further byte other than CRLF is refused.
//
// Not thread-safe; one parser per connection direction, used on the connection's worker thread.
class Http1Parser
{
public:
    explicit Http1Parser(Http1Role role, const Http1Limits &limits = {});

    // Parses from the start of `input` and reports the next event. Bytes reported as consumed
    // must not be offered again; the rest must be offered again, followed by newer bytes.
    Http1Step next(QByteArrayView input);

    // The peer closed the connection. Returns MessageComplete when that ends an until-close body
    // (or a message whose completion was not reported yet), Error(IncompleteMessage) when a
    // message was cut short, NeedData when the connection ended cleanly between messages.
    Http1Step finish();

    // Valid after a Head event, until the next message starts (see Http1Head).
    const Http1Head &head() const { return m_head; }
    // Trailer fields of the last chunked message; valid after MessageComplete, same lifetime.
    const Http1FieldList &trailers() const { return m_trailers; }
    // Valid after an Error event.
    const Http1Failure &error() const { return m_failure; }
    bool hasFailed() const { return m_state == State::Failed; }
    // Between messages, with nothing buffered: the connection may be closed or reused safely.
    bool isIdle() const;

    // Response role: the method of the request this response answers (HEAD responses and 2xx to
    // CONNECT have no body). Set it before the response's first byte is parsed; it applies to the
    // interim 1xx responses and the final one, then falls back to GET.
    void setRequestMethod(HttpMethod method) { m_requestMethod = method; }
    // Request role, default true. Only for tests and for callers that enforce Host themselves.
    void setRequireHost(bool require) { m_requireHost = require; }

    // After Paused on an upgrade request the proxy declined (it answered without 101): keep
    // parsing HTTP/1.1. Returns false, and does nothing, when the pause cannot be undone: after
    // CONNECT or a 101/2xx-to-CONNECT response the bytes that follow belong to another protocol.
    bool resume();

    // Forgets everything, including a failure; keeps buffer capacity and limits.
    void reset();
    // Limits for the messages that follow; between messages only.
    void setLimits(const Http1Limits &limits) { m_limits = limits; }
    // Between messages (isIdle()), gives the head and trailer buffers back (an idle keep-alive
    // connection); head() and trailers() are invalid from then on. Does nothing otherwise.
    void releaseBuffers();

    // Bytes of the stream consumed so far.
    qint64 offset() const { return m_offset; }

private:
    enum class State {
        Idle = 1,    // before a message: skipping empty lines
        Head,        // accumulating the head
        FixedBody,   // Content-Length body
        ChunkLine,   // chunk-size [extensions] CRLF
        ChunkData,
        ChunkDataEnd, // the CRLF after chunk data
        Trailers,
        UntilClose,
        Complete,    // MessageComplete not reported yet
        Paused,
        Failed,
    };
    enum class ChunkLineState {
        SizeStart = 1, Size, ExtNameStart, ExtName, ExtValueStart, ExtToken, ExtQuoted,
        ExtQuotedEscape, ExtAfterQuoted, LineFeed,
    };

    // Where the line-by-line parse of a head or trailer section stands. Lines are parsed as soon
    // as they are complete, in order, with the limits checked first, so the verdict on a message
    // is the same whether it arrives in one read or one byte at a time, and a 1 MB line is refused
    // after maxRequestLineBytes, not buffered. Offsets are relative to the section's first byte.
    struct SectionScan
    {
        qsizetype scanPos = 0;
        qsizetype lineStart = 0;
        qsizetype fieldsStart = -1; // -1 while the start line is pending (heads only)
        int fieldLines = 0;
    };
    enum class ScanResult { Incomplete = 1, Complete, Failed };
    // A piece of the section, by offset: the section may move (it is copied once complete, and a
    // head arriving in pieces grows its buffer), so views are made only when it is complete.
    struct Span
    {
        qsizetype offset = 0;
        qsizetype length = 0;
    };
    struct FieldSpan
    {
        Span name;
        Span value;
    };

    Http1Step step(Http1Step s);
    Http1Step dispatch(QByteArrayView input);
    Http1Step startMessage(QByteArrayView input);
    Http1Step readSection(QByteArrayView input, bool isHead);
    ScanResult processSection(const char *buf, qsizetype size, bool isHead, qsizetype *end);
    Http1Step finishSection(bool isHead, qsizetype consumed);
    Http1Step readFixedBody(QByteArrayView input);
    Http1Step readChunked(QByteArrayView input);
    Http1Step completeMessage();

    // Line grammar and head semantics (http1fields.cpp). Return false after calling fail().
    bool parseRequestLine(const char *buf, const char *p, const char *end);
    bool parseStatusLine(const char *buf, const char *p, const char *end);
    bool parseFieldLine(const char *buf, const char *p, const char *lf, bool isHead);
    bool applyFieldSemantics(QByteArrayView name, QByteArrayView value, Span valueSpan);
    void resetHead();
    void materializeHead(const char *base);
    bool validateTarget(QByteArrayView target);
    bool decideRequestFraming();
    bool decideResponseFraming();
    bool decideTransferEncoding(QByteArrayView te);
    QByteArrayView transferEncoding() const
    {
        return {m_sectionBase + m_transferEncodingSpan.offset, m_transferEncodingSpan.length};
    }

    Http1Step fail(Http1Error code, const char *reason, qint64 offset);
    // Fails at a byte of the section being parsed (whose first byte is at m_sectionBase).
    bool failAt(Http1Error code, const char *reason, const char *where);

    Http1Role m_role;
    Http1Limits m_limits;
    State m_state = State::Idle;
    ChunkLineState m_chunkLine = ChunkLineState::SizeStart;

    QByteArray m_headBuffer;
    QByteArray m_trailerBuffer;
    SectionScan m_scan;
    const char *m_sectionBase = nullptr; // buffer being parsed, for error offsets
    qint64 m_sectionOffset = 0;          // stream offset of the section's first byte
    Http1Head m_head;
    Http1FieldList m_trailers;
    Http1Failure m_failure;

    // Gathered from the lines of the current section.
    QVarLengthArray<FieldSpan, 24> m_fieldSpans;
    Span m_methodSpan;
    Span m_targetSpan;
    Span m_reasonSpan;
    Span m_hostSpan;
    Span m_transferEncodingSpan;
    struct FieldFacts
    {
        int contentLengthCount = 0;
        int transferEncodingCount = 0;
        int hostCount = 0;
        bool connectionClose = false;
        bool connectionKeepAlive = false;
        bool connectionUpgrade = false;
        bool hasUpgrade = false;
        bool expectContinue = false;
        qint64 contentLength = 0;
    } m_facts;

    qint64 m_offset = 0;       // stream bytes consumed before the current call
    qint64 m_headOffset = 0;   // stream offset of the current head's first byte
    qint64 m_bodyRemaining = 0;
    qint64 m_bodyReceived = 0;
    qint64 m_chunkSize = 0;
    int m_chunkDigits = 0;
    qsizetype m_chunkExtensionBytes = 0;
    int m_emptyLines = 0;
    HttpMethod m_requestMethod = HttpMethod::Get;
    bool m_pendingCr = false;  // an empty line's CR arrived, its LF not yet
    bool m_closing = false;    // the last message ended the connection
    bool m_resumable = false;  // the current pause may be undone with resume()
    bool m_requireHost = true;
    bool m_eof = false;
};

} // namespace Gatehouse
