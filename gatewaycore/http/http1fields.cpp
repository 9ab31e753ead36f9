// Http1Parser's head grammar (start lines, field lines) and the framing rules that guard against
// request smuggling: one pass over the buffered head, one table lookup per byte.
#include "http/http1chars.h"
#include "http/http1parser.h"

#include <cstring>

namespace Gatehouse {

using namespace Http1Chars;

namespace {

bool startsWithIgnoreCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && httpEqualsIgnoreCase(text.first(prefix.size()), prefix);
}

// Compares a field name (already validated as a token) with a lowercase literal.
bool nameIs(QByteArrayView name, QByteArrayView lower)
{
    return httpNameIs(name, lower);
}

// host = uri-host [ ":" port ]: the Host table plus one structural check, enough to refuse
// userinfo ('@'), whitespace, paths and control bytes smuggled into routing decisions.
bool isValidHost(QByteArrayView host)
{
    for (char c : host) {
        if (!is(c, Http1Chars::Host))
            return false;
    }
    return true;
}


// One pass over a Connection value for the three tokens that matter to framing and keep-alive.
void readConnectionTokens(QByteArrayView value, bool &close, bool &keepAlive, bool &upgrade)
{
    const char *p = value.data();
    const char *end = p + value.size();
    while (p < end) {
        while (p < end && (isOws(*p) || *p == ','))
            ++p;
        const char *start = p;
        while (p < end && *p != ',')
            ++p;
        const char *stop = p;
        while (stop > start && isOws(stop[-1]))
            --stop;
        const QByteArrayView token(start, stop - start);
        switch (token.size()) {
        case 5:
            close |= httpEqualsIgnoreCase(token, "close");
            break;
        case 7:
            upgrade |= httpEqualsIgnoreCase(token, "upgrade");
            break;
        case 10:
            keepAlive |= httpEqualsIgnoreCase(token, "keep-alive");
            break;
        default:
            break;
        }
    }
}

} // namespace

bool Http1Parser::failAt(Http1Error code, const char *reason, const char *where)
{
    fail(code, reason, m_sectionOffset + (where - m_sectionBase));
    return false;
}

void Http1Parser::resetHead()
{
    m_head.version = HttpVersion::Http11;
    m_head.method = HttpMethod::Get;
    m_head.methodName = {};
    m_head.target = {};
    m_head.targetForm = Http1TargetForm::Origin;
    m_head.host = {};
    m_head.statusCode = 0;
    m_head.reason = {};
    m_head.headers.clear();
    m_head.framing = Http1Framing::NoBody;
    m_head.contentLength = 0;
    m_head.keepAlive = true;
    m_head.expectContinue = false;
    m_head.upgrade = false;
    m_fieldSpans.clear();
    m_facts = {};
    m_methodSpan = m_targetSpan = m_reasonSpan = m_hostSpan = m_transferEncodingSpan = {};
}

void Http1Parser::materializeHead(const char *base)
{
    auto view = [base](Span s) { return QByteArrayView(base + s.offset, s.length); };
    if (m_role == Http1Role::Request) {
        m_head.methodName = view(m_methodSpan);
        m_head.target = view(m_targetSpan);
        if (m_facts.hostCount > 0)
            m_head.host = view(m_hostSpan);
    } else {
        m_head.reason = view(m_reasonSpan);
    }
    for (const FieldSpan &f : m_fieldSpans)
        m_head.headers.append(view(f.name), view(f.value));
    m_head.contentLength = m_facts.contentLength;
    m_head.expectContinue = m_facts.expectContinue;
}

bool Http1Parser::parseRequestLine(const char *buf, const char *p, const char *end)
{
    // method SP request-target SP HTTP-version, exactly one SP each (RFC 9112 §3).
    const char *q = p;
    while (is(*q, Token)) // *end is the CR: no bound check needed
        ++q;
    if (q == p)
        return failAt(Http1Error::InvalidMethod, "request line does not start with a method", q);
    if (q == end)
        return failAt(Http1Error::InvalidStartLine, "request line has no target", q);
    if (*q != ' ')
        return failAt(Http1Error::InvalidMethod, "invalid character in method", q);
    const QByteArrayView method(p, q - p);
    m_methodSpan = {p - buf, q - p};

    const char *t = ++q;
    q = findInvalidTargetByte(q, end);
    if (q == t)
        return failAt(Http1Error::InvalidStartLine, "request line has no target", q);
    if (q == end)
        return failAt(Http1Error::UnsupportedVersion, "HTTP/0.9 requests are not supported", q);
    if (*q != ' ')
        return failAt(Http1Error::InvalidTarget, "invalid character in request target", q);
    const QByteArrayView target(t, q - t);
    m_targetSpan = {t - buf, q - t};

    const char *v = ++q;
    if (end - v != 8 || std::memcmp(v, "HTTP/", 5) != 0 || !is(v[5], Digit) || v[6] != '.'
        || !is(v[7], Digit))
        return failAt(Http1Error::InvalidVersion, "malformed HTTP version", v);
    if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
        return failAt(Http1Error::UnsupportedVersion, "only HTTP/1.0 and HTTP/1.1 are supported", v);
    m_head.version = v[7] == '1' ? HttpVersion::Http11 : HttpVersion::Http10;

    if (!httpMethodIsKnown(method, &m_head.method))
        return failAt(Http1Error::UnknownMethod, "unknown method", p);
    return validateTarget(target);
}

bool Http1Parser::validateTarget(QByteArrayView target)
{
    const char *at = target.data();
    const bool connect = m_head.method == HttpMethod::Connect;
    if (target[0] == '/') {
        m_head.targetForm = Http1TargetForm::Origin;
    } else if (target == "*") {
        m_head.targetForm = Http1TargetForm::Asterisk;
        if (m_head.method != HttpMethod::Options)
            return failAt(Http1Error::InvalidTarget, "'*' target is only valid with OPTIONS", at);
        return true;
    } else if (startsWithIgnoreCase(target, "http://") || startsWithIgnoreCase(target, "https://")) {
        m_head.targetForm = Http1TargetForm::Absolute;
        const qsizetype from = target.indexOf("://") + 3;
        qsizetype to = from;
        while (to < target.size() && target[to] != '/' && target[to] != '?')
            ++to;
        const QByteArrayView authority = target.sliced(from, to - from);
        if (authority.isEmpty() || !isValidHost(authority))
            return failAt(Http1Error::InvalidTarget, "invalid authority in absolute target", at);
    } else if (connect) {
        // authority-form = uri-host ":" port; the port is mandatory.
        m_head.targetForm = Http1TargetForm::Authority;
        const qsizetype colon = target.lastIndexOf(':');
        bool portOk = colon > 0 && colon + 1 < target.size();
        for (qsizetype i = colon + 1; portOk && i < target.size(); ++i)
            portOk = is(target[i], Digit);
        if (!portOk || !isValidHost(target))
            return failAt(Http1Error::InvalidTarget, "CONNECT needs a host:port target", at);
        return true;
    } else {
        return failAt(Http1Error::InvalidTarget, "unsupported request target form", at);
    }
    if (connect)
        return failAt(Http1Error::InvalidTarget, "CONNECT needs a host:port target", at);
    return true;
}

bool Http1Parser::parseStatusLine(const char *buf, const char *p, const char *end)
{
    // HTTP-version SP 3DIGIT SP [ reason-phrase ]. A missing SP before an empty reason is tolerated:
    // it cannot change framing and several servers send "HTTP/1.1 200\r\n".
    if (end - p < 8 || std::memcmp(p, "HTTP/", 5) != 0)
        return failAt(Http1Error::InvalidStartLine, "status line does not start with HTTP/", p);
    if (!is(p[5], Digit) || p[6] != '.' || !is(p[7], Digit) || end - p < 9 || p[8] != ' ')
        return failAt(Http1Error::InvalidVersion, "malformed HTTP version", p);
    if (p[5] != '1' || (p[7] != '0' && p[7] != '1'))
        return failAt(Http1Error::UnsupportedVersion, "only HTTP/1.0 and HTTP/1.1 are supported", p);
    if (end - p < 12)
        return failAt(Http1Error::InvalidStatusCode, "status code is not three digits", p + 9);
    m_head.version = p[7] == '1' ? HttpVersion::Http11 : HttpVersion::Http10;
    const char *s = p + 9;
    if (!is(s[0], Digit) || !is(s[1], Digit) || !is(s[2], Digit) || (s + 3 < end && s[3] != ' '))
        return failAt(Http1Error::InvalidStatusCode, "status code is not three digits", s);
    m_head.statusCode = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    if (m_head.statusCode < 100 || m_head.statusCode > 599)
        return failAt(Http1Error::InvalidStatusCode, "status code out of range", s);
    const char *r = s + 3 < end ? s + 4 : end;
    if (const char *bad = findInvalidValueByte(r, end); bad != end)
        return failAt(*bad == '\r' ? Http1Error::InvalidLineEnding : Http1Error::InvalidStartLine,
                      "invalid character in reason phrase", bad);
    m_reasonSpan = {r - buf, end - r};
    return true;
}

// One field line [p, lf), lf pointing at its LF. Records it; heads also feed the framing facts.
bool Http1Parser::parseFieldLine(const char *buf, const char *p, const char *lf, bool isHead)
{
    if (lf[-1] != '\r')
        return failAt(Http1Error::InvalidLineEnding, "field line not ended by CRLF", lf);
    const char *lineEnd = lf - 1;
    if (isOws(*p))
        return failAt(Http1Error::ObsoleteLineFolding, "obsolete line folding", p);

    // No bound check in the loop: *lineEnd is the CR, which is not a token byte.
    const char *q = p;
    while (is(*q, Token))
        ++q;
    if (q == lineEnd || q == p || *q != ':') {
        if (q < lineEnd && q > p && isOws(*q))
            return failAt(Http1Error::WhitespaceBeforeColon, "whitespace before colon", q);
        if (q < lineEnd && *q == '\r')
            return failAt(Http1Error::InvalidLineEnding, "bare CR in field name", q);
        return failAt(Http1Error::InvalidHeaderName, "invalid field name", q);
    }

    const char *v = q + 1;
    while (v < lineEnd && isOws(*v))
        ++v;
    if (const char *bad = findInvalidValueByte(v, lineEnd); bad != lineEnd)
        return failAt(*bad == '\r' ? Http1Error::InvalidLineEnding : Http1Error::InvalidHeaderValue,
                      "invalid character in field value", bad);
    const char *ve = lineEnd;
    while (ve > v && isOws(ve[-1]))
        --ve;
    const Span valueSpan{v - buf, ve - v};
    m_fieldSpans.append({{p - buf, q - p}, valueSpan});
    // Only six lengths name a field the framing depends on; most fields skip the call.
    constexpr quint32 kSpecialLengths = (1u << 4) | (1u << 6) | (1u << 7) | (1u << 10) | (1u << 14)
                                        | (1u << 17);
    const qsizetype nameLength = q - p;
    if (!isHead || nameLength > 17 || !(kSpecialLengths & (1u << nameLength)))
        return true;
    return applyFieldSemantics(QByteArrayView(p, nameLength), QByteArrayView(v, ve - v), valueSpan);
}

// Records what the framing and connection decisions need; refuses at once what can never be valid.
bool Http1Parser::applyFieldSemantics(QByteArrayView name, QByteArrayView value, Span valueSpan)
{
    switch (name.size()) {
    case 4:
        if (nameIs(name, "host")) {
            if (++m_facts.hostCount > 1)
                return failAt(Http1Error::DuplicateHost, "more than one Host field", name.data());
            if (!isValidHost(value))
                return failAt(Http1Error::InvalidHost, "invalid Host value", value.data());
            m_hostSpan = valueSpan;
        }
        break;
    case 6:
        if (nameIs(name, "expect") && httpEqualsIgnoreCase(value, "100-continue"))
            m_facts.expectContinue = true;
        break;
    case 7:
        if (nameIs(name, "upgrade") && !value.isEmpty())
            m_facts.hasUpgrade = true;
        break;
    case 10:
        if (nameIs(name, "connection"))
            readConnectionTokens(value, m_facts.connectionClose, m_facts.connectionKeepAlive,
                                 m_facts.connectionUpgrade);
        break;
    case 14:
        if (nameIs(name, "content-length")) {
            if (++m_facts.contentLengthCount > 1)
                return failAt(Http1Error::DuplicateContentLength,
                              "more than one Content-Length field", name.data());
            if (value.isEmpty())
                return failAt(Http1Error::InvalidContentLength, "empty Content-Length", name.data());
            qint64 length = 0;
            for (char c : value) {
                if (!is(c, Digit))
                    return failAt(Http1Error::InvalidContentLength,
                                  "Content-Length is not a plain number", value.data());
                if (length > (std::numeric_limits<qint64>::max() - 9) / 10)
                    return failAt(Http1Error::InvalidContentLength, "Content-Length overflows",
                                  value.data());
                length = length * 10 + (c - '0');
            }
            m_facts.contentLength = length;
        }
        break;
    case 17:
        if (nameIs(name, "transfer-encoding")) {
            if (++m_facts.transferEncodingCount > 1)
                return failAt(Http1Error::InvalidTransferEncoding,
                              "more than one Transfer-Encoding field", name.data());
            m_transferEncodingSpan = valueSpan;
        }
        break;
    default:
        break;
    }
    return true;
}

// RFC 9112 §6.1 and §6.3: a request whose final coding is not chunked cannot be framed (400);
// chunked after other codings is well-framed but needs decoders the gateway does not have (501).
bool Http1Parser::decideTransferEncoding(QByteArrayView te)
{
    const char *at = te.data();
    if (m_head.version == HttpVersion::Http10)
        return failAt(Http1Error::InvalidTransferEncoding, "Transfer-Encoding in HTTP/1.0", at);
    if (m_facts.contentLengthCount > 0)
        return failAt(Http1Error::ContentLengthWithTransferEncoding,
                          "both Content-Length and Transfer-Encoding", at);
    if (httpEqualsIgnoreCase(te, "chunked"))
        return true;
    // A list: every element must be a token, the last one chunked.
    QByteArrayView last;
    const char *p = te.data();
    const char *end = p + te.size();
    while (p <= end) {
        const char *start = p;
        while (p < end && *p != ',')
            ++p;
        const char *s = start;
        const char *e = p;
        while (s < e && isOws(*s))
            ++s;
        while (e > s && isOws(e[-1]))
            --e;
        if (s == e)
            return failAt(Http1Error::InvalidTransferEncoding, "empty transfer coding", start);
        for (const char *c = s; c < e; ++c) {
            // Parameters (";q=...") are allowed by the grammar but never with chunked; refusing
            // them keeps the rule simple: codings are bare tokens.
            if (!is(*c, Token))
                return failAt(Http1Error::InvalidTransferEncoding,
                                  "invalid Transfer-Encoding value", c);
        }
        last = QByteArrayView(s, e - s);
        ++p; // past ',' (or past end, ending the loop)
    }
    if (!httpEqualsIgnoreCase(last, "chunked"))
        return failAt(Http1Error::InvalidTransferEncoding, "Transfer-Encoding must end with chunked",
                          at);
    return failAt(Http1Error::UnsupportedTransferCoding,
                      "transfer codings other than chunked are not supported", at);
}

bool Http1Parser::decideRequestFraming()
{
    const char *at = m_headBuffer.constData();
    const bool http11 = m_head.version == HttpVersion::Http11;
    if (m_facts.hostCount == 0 && http11 && m_requireHost)
        return failAt(Http1Error::MissingHost, "HTTP/1.1 request without Host", at);
    if (m_head.method == HttpMethod::Connect
        && (m_facts.contentLengthCount > 0 || m_facts.transferEncodingCount > 0))
        return failAt(Http1Error::BodyNotAllowed, "CONNECT request with a body", at);
    if (m_facts.transferEncodingCount > 0) {
        if (!decideTransferEncoding(transferEncoding()))
            return false;
        m_head.framing = Http1Framing::Chunked;
        m_head.contentLength = 0;
    } else if (m_facts.contentLengthCount > 0) {
        if (m_head.contentLength > m_limits.maxBodyBytes)
            return failAt(Http1Error::BodyTooLarge, "Content-Length exceeds the body limit", at);
        m_head.framing = Http1Framing::ContentLength;
    }
    m_head.keepAlive = http11 ? !m_facts.connectionClose
                              : (m_facts.connectionKeepAlive && !m_facts.connectionClose);
    m_head.expectContinue = m_head.expectContinue && http11; // RFC 9110 §10.1.1
    m_head.upgrade = m_head.method == HttpMethod::Connect
                     || (http11 && m_facts.connectionUpgrade && m_facts.hasUpgrade);

    switch (m_head.framing) {
    case Http1Framing::Chunked:
        m_state = State::ChunkLine;
        m_chunkLine = ChunkLineState::SizeStart;
        break;
    case Http1Framing::ContentLength:
        m_bodyRemaining = m_head.contentLength;
        m_state = m_bodyRemaining > 0 ? State::FixedBody : State::Complete;
        break;
    default:
        m_state = State::Complete;
        break;
    }
    return true;
}

bool Http1Parser::decideResponseFraming()
{
    const int status = m_head.statusCode;
    const bool http11 = m_head.version == HttpVersion::Http11;
    // The framing fields are validated even where the status overrides them (204, 304, HEAD):
    // a response that lies about its length is refused, not forwarded.
    if (m_facts.transferEncodingCount > 0 && !decideTransferEncoding(transferEncoding()))
        return false;
    const bool connectOk = m_requestMethod == HttpMethod::Connect && status >= 200 && status < 300;
    if (status == 101 || connectOk) {
        m_head.upgrade = true;
        m_head.framing = Http1Framing::NoBody;
    } else if (status < 200 || status == 204 || status == 304
               || m_requestMethod == HttpMethod::Head) {
        m_head.framing = Http1Framing::NoBody;
    } else if (m_facts.transferEncodingCount > 0) {
        m_head.framing = Http1Framing::Chunked;
    } else if (m_facts.contentLengthCount > 0) {
        if (m_head.contentLength > m_limits.maxBodyBytes)
            return failAt(Http1Error::BodyTooLarge, "Content-Length exceeds the body limit",
                          m_headBuffer.constData());
        m_head.framing = Http1Framing::ContentLength;
    } else {
        m_head.framing = Http1Framing::UntilClose;
    }
    if (m_head.framing != Http1Framing::ContentLength)
        m_head.contentLength = 0;
    m_head.keepAlive = m_head.framing != Http1Framing::UntilClose
                       && (http11 ? !m_facts.connectionClose
                                  : (m_facts.connectionKeepAlive && !m_facts.connectionClose));

    switch (m_head.framing) {
    case Http1Framing::Chunked:
        m_state = State::ChunkLine;
        m_chunkLine = ChunkLineState::SizeStart;
        break;
    case Http1Framing::ContentLength:
        m_bodyRemaining = m_head.contentLength;
        m_state = m_bodyRemaining > 0 ? State::FixedBody : State::Complete;
        break;
    case Http1Framing::UntilClose:
        m_state = State::UntilClose;
        break;
    case Http1Framing::NoBody:
        m_state = State::Complete;
        break;
    }
    return true;
}

} // namespace Gatehouse
