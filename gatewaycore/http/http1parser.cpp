// Http1Parser's state machine: message boundaries, head accumulation, fixed and chunked bodies.
#include "http/http1parser.h"

#include "http/http1chars.h"

#include <algorithm>
#include <cstring>

namespace Gatehouse {

using namespace Http1Chars;

namespace {

constexpr qsizetype kInitialHeadCapacity = 1024;

} // namespace

Http1Parser::Http1Parser(Http1Role role, const Http1Limits &limits)
    : m_role(role)
    , m_limits(limits)
{
    m_head.role = role;
}

void Http1Parser::reset()
{
    const Http1Role role = m_role;
    const Http1Limits limits = m_limits;
    const bool requireHost = m_requireHost;
    QByteArray headBuffer = std::move(m_headBuffer);
    QByteArray trailerBuffer = std::move(m_trailerBuffer);
    *this = Http1Parser(role, limits);
    m_requireHost = requireHost;
    m_headBuffer = std::move(headBuffer); // keep the capacity
    m_headBuffer.resize(0);
    m_trailerBuffer = std::move(trailerBuffer);
    m_trailerBuffer.resize(0);
}

void Http1Parser::releaseBuffers()
{
    if (!isIdle())
        return;
    resetHead();   // no view into the buffers survives them
    m_trailers.clear();
    m_headBuffer = QByteArray();
    m_trailerBuffer = QByteArray();
}

bool Http1Parser::isIdle() const
{
    return m_state == State::Idle && !m_pendingCr;
}

bool Http1Parser::resume()
{
    if (m_state != State::Paused || !m_resumable)
        return false;
    m_state = State::Idle;
    m_resumable = false;
    return true;
}

Http1Step Http1Parser::step(Http1Step s)
{
    // An error consumes nothing, even when bytes before the offending one were already examined
    // (empty lines skipped, a chunk line half read): the connection is done with either way.
    if (s.event == Http1Event::Error)
        s.consumed = 0;
    m_offset += s.consumed;
    return s;
}

Http1Step Http1Parser::fail(Http1Error code, const char *reason, qint64 offset)
{
    m_state = State::Failed;
    m_failure = {code, reason, offset};
    return {Http1Event::Error, 0, {}};
}

Http1Step Http1Parser::next(QByteArrayView input)
{
    return step(dispatch(input));
}

Http1Step Http1Parser::dispatch(QByteArrayView input)
{
    switch (m_state) {
    case State::Idle:
        return startMessage(input);
    case State::Head:
        return readSection(input, true);
    case State::FixedBody:
        return readFixedBody(input);
    case State::ChunkLine:
    case State::ChunkData:
    case State::ChunkDataEnd:
        return readChunked(input);
    case State::Trailers:
        return readSection(input, false);
    case State::UntilClose:
        if (input.isEmpty())
            return {Http1Event::NeedData, 0, {}};
        m_bodyReceived += input.size();
        return {Http1Event::Body, input.size(), input};
    case State::Complete:
        return completeMessage();
    case State::Paused:
        return {Http1Event::Paused, 0, {}};
    case State::Failed:
        return {Http1Event::Error, 0, {}};
    }
    return {Http1Event::NeedData, 0, {}};
}

Http1Step Http1Parser::finish()
{
    if (m_eof && m_state != State::Complete)
        return m_state == State::Failed ? Http1Step{Http1Event::Error, 0, {}}
                                        : Http1Step{Http1Event::NeedData, 0, {}};
    m_eof = true;
    switch (m_state) {
    case State::Idle:
        if (m_pendingCr)
            return fail(Http1Error::IncompleteMessage, "connection closed after a bare CR", m_offset);
        return {Http1Event::NeedData, 0, {}};
    case State::Paused:
        return {Http1Event::NeedData, 0, {}};
    case State::UntilClose:
        m_state = State::Complete;
        return completeMessage();
    case State::Complete:
        return completeMessage();
    case State::Failed:
        return {Http1Event::Error, 0, {}};
    default:
        return fail(Http1Error::IncompleteMessage, "connection closed in the middle of a message",
                    m_offset);
    }
}

Http1Step Http1Parser::startMessage(QByteArrayView input)
{
    const char *p = input.data();
    const qsizetype n = input.size();
    qsizetype i = 0;
    while (i < n) {
        const char c = p[i];
        if (m_pendingCr) {
            if (c != '\n')
                return fail(Http1Error::InvalidLineEnding, "CR not followed by LF", m_offset + i);
            m_pendingCr = false;
            ++i;
            if (++m_emptyLines > m_limits.maxEmptyLinesBeforeMessage)
                return fail(Http1Error::InvalidStartLine, "too many empty lines before a message",
                            m_offset + i);
            continue;
        }
        if (c == '\r') {
            m_pendingCr = true;
            ++i;
            continue;
        }
        if (c == '\n')
            return fail(Http1Error::InvalidLineEnding, "bare LF before a message", m_offset + i);
        break;
    }
    if (i == n)
        return {Http1Event::NeedData, n, {}};
    if (m_closing)
        return fail(Http1Error::DataAfterClose, "data after a message that closes the connection",
                    m_offset + i);

    m_state = State::Head;
    m_emptyLines = 0;
    // The previous message's head and trailers stay readable until here.
    m_headBuffer.resize(0);
    if (!m_trailerBuffer.isEmpty())
        m_trailerBuffer.resize(0);
    m_trailers.clear();
    m_scan = {};
    m_sectionOffset = m_offset + i;
    m_fieldSpans.clear();
    resetHead();
    Http1Step s = readSection(input.sliced(i), true);
    s.consumed += i;
    return s;
}

// Both the head and the trailers. Fast path: the whole section is in `input` (the usual case): it
// is parsed in place, then copied once so that it outlives the caller's buffer. Slow path: it
// arrives in pieces, appended to the section's buffer (bounded: processSection refuses an
// over-long section as soon as it is seen); parsing resumes at the first incomplete line, so a
// head fed one byte at a time costs O(n), not O(n²).
Http1Step Http1Parser::readSection(QByteArrayView input, bool isHead)
{
    QByteArray &buffer = isHead ? m_headBuffer : m_trailerBuffer;
    qsizetype end = 0;
    if (buffer.isEmpty()) {
        const ScanResult r = processSection(input.data(), input.size(), isHead, &end);
        if (r == ScanResult::Failed)
            return {Http1Event::Error, 0, {}};
        if (isHead && buffer.capacity() < kInitialHeadCapacity)
            buffer.reserve(kInitialHeadCapacity); // then reused: no allocation per request
        if (r == ScanResult::Incomplete) {
            buffer.append(input.data(), input.size());
            return {Http1Event::NeedData, input.size(), {}};
        }
        buffer.append(input.data(), end);
        return finishSection(isHead, end);
    }

    // Never hold more than a section the limits allow; processSection fails before this is reached.
    const qsizetype cap = (isHead ? m_limits.maxRequestLineBytes + 2 : 0) + m_limits.maxHeaderBytes + 4;
    const qsizetype take = std::min(input.size(), std::max<qsizetype>(cap - buffer.size(), 0));
    const qsizetype before = buffer.size();
    buffer.append(input.data(), take);
    const ScanResult r = processSection(buffer.constData(), buffer.size(), isHead, &end);
    if (r == ScanResult::Failed)
        return {Http1Event::Error, 0, {}};
    if (r == ScanResult::Incomplete) {
        if (take < input.size())
            return fail(Http1Error::HeaderSectionTooLarge, "header section too large",
                        m_sectionOffset + buffer.size());
        return {Http1Event::NeedData, take, {}};
    }
    buffer.truncate(end);
    return finishSection(isHead, end - before);
}

Http1Step Http1Parser::finishSection(bool isHead, qsizetype consumed)
{
    if (isHead) {
        m_sectionBase = m_headBuffer.constData();
        materializeHead(m_sectionBase);
        const bool ok = m_role == Http1Role::Request ? decideRequestFraming() : decideResponseFraming();
        if (!ok)
            return {Http1Event::Error, 0, {}};
        return {Http1Event::Head, consumed, {}};
    }
    const char *base = m_trailerBuffer.constData();
    for (const FieldSpan &f : m_fieldSpans)
        m_trailers.append(QByteArrayView(base + f.name.offset, f.name.length),
                          QByteArrayView(base + f.value.offset, f.value.length));
    m_state = State::Complete;
    Http1Step s = completeMessage();
    s.consumed = consumed;
    return s;
}

// Parses the complete lines of buf[scanPos, size): the start line (heads), field lines, and the
// empty line closing the section (its end offset goes to *end).
Http1Parser::ScanResult Http1Parser::processSection(const char *buf, qsizetype size, bool isHead,
                                                    qsizetype *end)
{
    SectionScan &scan = m_scan;
    m_sectionBase = buf;
    auto failed = [&](Http1Error code, const char *reason, qsizetype at) {
        fail(code, reason, m_sectionOffset + at);
        return ScanResult::Failed;
    };
    const Http1Error lineTooLong = m_role == Http1Role::Request ? Http1Error::RequestLineTooLong
                                                                : Http1Error::HeaderSectionTooLarge;
    if (!isHead && scan.fieldsStart < 0)
        scan.fieldsStart = 0;
    for (;;) {
        const void *hit = scan.scanPos < size
                              ? std::memchr(buf + scan.scanPos, '\n', size_t(size - scan.scanPos))
                              : nullptr;
        if (!hit) {
            scan.scanPos = size;
            // The pending line may still be followed by its CR, hence the + 1.
            if (scan.fieldsStart < 0) {
                if (size - scan.lineStart > m_limits.maxRequestLineBytes + 1)
                    return failed(lineTooLong, "start line too long", size);
            } else if (size - scan.fieldsStart > m_limits.maxHeaderBytes + 1) {
                return failed(Http1Error::HeaderSectionTooLarge, "header section too large", size);
            }
            return ScanResult::Incomplete;
        }
        const qsizetype lf = static_cast<const char *>(hit) - buf;
        const qsizetype lineStart = scan.lineStart;
        const qsizetype lineLength = lf - lineStart; // CR included, if any
        scan.scanPos = lf + 1;
        scan.lineStart = lf + 1;
        if (scan.fieldsStart < 0) {
            if (lineLength > m_limits.maxRequestLineBytes + 1)
                return failed(lineTooLong, "start line too long", lf);
            scan.fieldsStart = lf + 1;
            if (lineLength == 0 || buf[lf - 1] != '\r')
                return failed(Http1Error::InvalidLineEnding, "start line not ended by CRLF", lf);
            const bool ok = m_role == Http1Role::Request
                                ? parseRequestLine(buf, buf + lineStart, buf + lf - 1)
                                : parseStatusLine(buf, buf + lineStart, buf + lf - 1);
            if (!ok)
                return ScanResult::Failed;
            continue;
        }
        if (lineLength == 0)
            return failed(Http1Error::InvalidLineEnding, "bare LF ends the header section", lf);
        if (lineLength == 1 && buf[lineStart] == '\r') {
            *end = lf + 1;
            return ScanResult::Complete;
        }
        // Bytes before count: the byte check is the one a peer feeding slowly trips first (while
        // the line is still open), so checking it first gives the same verdict however the
        // input is cut.
        if (lf + 1 - scan.fieldsStart > m_limits.maxHeaderBytes)
            return failed(Http1Error::HeaderSectionTooLarge, "header section too large", lf);
        if (++scan.fieldLines > m_limits.maxHeaderCount)
            return failed(Http1Error::TooManyHeaders, "too many header fields", lf);
        if (!parseFieldLine(buf, buf + lineStart, buf + lf, isHead))
            return ScanResult::Failed;
    }
}

Http1Step Http1Parser::readFixedBody(QByteArrayView input)
{
    if (input.isEmpty())
        return {Http1Event::NeedData, 0, {}};
    const qsizetype take = qsizetype(std::min<qint64>(m_bodyRemaining, input.size()));
    m_bodyRemaining -= take;
    m_bodyReceived += take;
    if (m_bodyRemaining == 0)
        m_state = State::Complete;
    return {Http1Event::Body, take, input.first(take)};
}

Http1Step Http1Parser::readChunked(QByteArrayView input)
{
    const char *p = input.data();
    const qsizetype n = input.size();
    qsizetype i = 0;
    while (i < n) {
        if (m_state == State::ChunkData) {
            const qsizetype take = qsizetype(std::min<qint64>(m_bodyRemaining, n - i));
            m_bodyRemaining -= take;
            if (m_bodyRemaining == 0)
                m_state = State::ChunkDataEnd;
            return {Http1Event::Body, i + take, input.sliced(i, take)};
        }
        const char c = p[i];
        if (m_state == State::ChunkDataEnd) {
            // Two bytes, CR then LF; m_chunkDigits remembers whether the CR was seen.
            if (m_chunkDigits == 0) {
                if (c != '\r')
                    return fail(Http1Error::InvalidChunkData, "chunk data not followed by CRLF",
                                m_offset + i);
                m_chunkDigits = 1;
            } else {
                if (c != '\n')
                    return fail(Http1Error::InvalidChunkData, "chunk data not followed by CRLF",
                                m_offset + i);
                m_state = State::ChunkLine;
                m_chunkLine = ChunkLineState::SizeStart;
                m_chunkDigits = 0;
            }
            ++i;
            continue;
        }

        // State::ChunkLine: chunk-size [ ";" ext-name [ "=" ext-value ] ]* CRLF, no whitespace.
        using S = ChunkLineState;
        const qint64 at = m_offset + i;
        ++i;
        if (m_chunkLine != S::SizeStart && m_chunkLine != S::Size && m_chunkLine != S::LineFeed
            && ++m_chunkExtensionBytes > m_limits.maxChunkExtensionBytes)
            return fail(Http1Error::InvalidChunkExtension, "chunk extensions too long", at);
        switch (m_chunkLine) {
        case S::SizeStart:
        case S::Size:
            if (is(c, Hex)) {
                if (++m_chunkDigits > m_limits.maxChunkSizeDigits)
                    return fail(Http1Error::InvalidChunkSize, "chunk size has too many digits", at);
                if (m_chunkSize > (std::numeric_limits<qint64>::max() >> 4))
                    return fail(Http1Error::InvalidChunkSize, "chunk size overflows", at);
                const int digit = c <= '9' ? c - '0' : toLower(c) - 'a' + 10;
                m_chunkSize = (m_chunkSize << 4) | digit;
                m_chunkLine = S::Size;
            } else if (m_chunkLine == S::Size && c == ';') {
                m_chunkLine = S::ExtNameStart;
            } else if (m_chunkLine == S::Size && c == '\r') {
                m_chunkLine = S::LineFeed;
            } else {
                return fail(Http1Error::InvalidChunkSize, "invalid character in chunk size", at);
            }
            break;
        case S::ExtNameStart:
            if (!is(c, Token))
                return fail(Http1Error::InvalidChunkExtension, "chunk extension without a name", at);
            m_chunkLine = S::ExtName;
            break;
        case S::ExtName:
        case S::ExtToken:
            if (is(c, Token))
                break;
            if (c == ';')
                m_chunkLine = S::ExtNameStart;
            else if (c == '\r')
                m_chunkLine = S::LineFeed;
            else if (c == '=' && m_chunkLine == S::ExtName)
                m_chunkLine = S::ExtValueStart;
            else
                return fail(Http1Error::InvalidChunkExtension, "invalid character in chunk extension",
                            at);
            break;
        case S::ExtValueStart:
            if (c == '"')
                m_chunkLine = S::ExtQuoted;
            else if (is(c, Token))
                m_chunkLine = S::ExtToken;
            else
                return fail(Http1Error::InvalidChunkExtension, "chunk extension without a value", at);
            break;
        case S::ExtQuoted:
            if (c == '"')
                m_chunkLine = S::ExtAfterQuoted;
            else if (c == '\\')
                m_chunkLine = S::ExtQuotedEscape;
            else if (!is(c, QuotedText))
                return fail(Http1Error::InvalidChunkExtension,
                            "invalid character in a quoted chunk extension", at);
            break;
        case S::ExtQuotedEscape:
            if (!is(c, FieldValue))
                return fail(Http1Error::InvalidChunkExtension,
                            "invalid escape in a quoted chunk extension", at);
            m_chunkLine = S::ExtQuoted;
            break;
        case S::ExtAfterQuoted:
            if (c == ';')
                m_chunkLine = S::ExtNameStart;
            else if (c == '\r')
                m_chunkLine = S::LineFeed;
            else
                return fail(Http1Error::InvalidChunkExtension,
                            "invalid character after a quoted chunk extension", at);
            break;
        case S::LineFeed:
            if (c != '\n')
                return fail(Http1Error::InvalidLineEnding, "chunk line ends with a bare CR", at);
            m_chunkDigits = 0;
            m_chunkExtensionBytes = 0;
            if (m_chunkSize == 0) {
                m_state = State::Trailers;
                m_scan = {};
                m_fieldSpans.clear();
                m_sectionOffset = m_offset + i;
                Http1Step s = readSection(input.sliced(i), false);
                s.consumed += i;
                return s;
            }
            if (m_chunkSize > m_limits.maxBodyBytes - m_bodyReceived)
                return fail(Http1Error::BodyTooLarge, "chunked body too large", at);
            m_bodyReceived += m_chunkSize;
            m_bodyRemaining = m_chunkSize;
            m_chunkSize = 0;
            m_state = State::ChunkData;
            break;
        }
    }
    return {Http1Event::NeedData, n, {}};
}

Http1Step Http1Parser::completeMessage()
{
    const bool interim = m_role == Http1Role::Response && m_head.isInterim();
    if (m_head.upgrade) {
        m_state = State::Paused;
        m_resumable = m_role == Http1Role::Request && m_head.method != HttpMethod::Connect;
    } else {
        m_state = State::Idle;
        m_closing = !interim && !m_head.keepAlive;
    }
    if (m_role == Http1Role::Response && !interim)
        m_requestMethod = HttpMethod::Get;
    m_bodyRemaining = 0;
    m_bodyReceived = 0;
    m_chunkSize = 0;
    m_chunkDigits = 0;
    m_chunkExtensionBytes = 0;
    return {Http1Event::MessageComplete, 0, {}};
}

} // namespace Gatehouse
