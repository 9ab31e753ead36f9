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
    if (name.size() != lower.size())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (toLower(name[i]) != lower[i])
            return false;
    }
    return true;
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

} // namespace

bool Http1Parser::failInHead(Http1Error code, const char *reason, const char *where)
{
    fail(code, reason, m_headOffset + (where - m_headBuffer.constData()));
    return false;
}

bool Http1Parser::parseHead()
{
    const char *begin = m_headBuffer.constData();
    const char *end = begin + m_headBuffer.size();
    m_head.headers.clear();
    m_head.methodName = {};
    m_head.target = {};
    m_head.host = {};
    m_head.reason = {};
    m_head.statusCode = 0;
    m_head.method = HttpMethod::Get;
    m_head.targetForm = Http1TargetForm::Origin;
    m_head.framing = Http1Framing::NoBody;
    m_head.contentLength = 0;
    m_head.keepAlive = true;
    m_head.expectContinue = false;
    m_head.upgrade = false;
    m_facts = {};

    const char *lf = static_cast<const char *>(std::memchr(begin, '\n', size_t(end - begin)));
    if (lf == begin || lf[-1] != '\r')
        return failInHead(Http1Error::InvalidLineEnding, "start line not ended by CRLF", lf);
    const bool lineOk = m_role == Http1Role::Request ? parseRequestLine(begin, lf - 1)
                                                      : parseStatusLine(begin, lf - 1);
    if (!lineOk || !parseFieldLines(lf + 1, end, m_head.headers, true))
        return false;
    return m_role == Http1Role::Request ? decideRequestFraming() : decideResponseFraming();
}

bool Http1Parser::parseRequestLine(const char *p, const char *end)
{
    // method SP request-target SP HTTP-version, exactly one SP each (RFC 9112 §3).
    const char *q = p;
    while (q < end && is(*q, Token))
        ++q;
    if (q == p)
        return failInHead(Http1Error::InvalidMethod, "request line does not start with a method", q);
    if (q == end)
        return failInHead(Http1Error::InvalidStartLine, "request line has no target", q);
    if (*q != ' ')
        return failInHead(Http1Error::InvalidMethod, "invalid character in method", q);
    m_head.methodName = QByteArrayView(p, q - p);

    const char *t = ++q;
    while (q < end && is(*q, Target))
        ++q;
    if (q == t)
        return failInHead(Http1Error::InvalidStartLine, "request line has no target", q);
    if (q == end)
        return failInHead(Http1Error::UnsupportedVersion, "HTTP/0.9 requests are not supported", q);
    if (*q != ' ')
        return failInHead(Http1Error::InvalidTarget, "invalid character in request target", q);
    m_head.target = QByteArrayView(t, q - t);

    const char *v = ++q;
    if (end - v != 8 || std::memcmp(v, "HTTP/", 5) != 0 || !is(v[5], Digit) || v[6] != '.'
        || !is(v[7], Digit))
        return failInHead(Http1Error::InvalidVersion, "malformed HTTP version", v);
    if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
        return failInHead(Http1Error::UnsupportedVersion, "only HTTP/1.0 and HTTP/1.1 are supported",
                          v);
    m_head.version = v[7] == '1' ? HttpVersion::Http11 : HttpVersion::Http10;

    if (!httpMethodIsKnown(m_head.methodName, &m_head.method))
        return failInHead(Http1Error::UnknownMethod, "unknown method", p);
    return validateTarget();
}

bool Http1Parser::validateTarget()
{
    const QByteArrayView target = m_head.target;
    const char *at = target.data();
    const bool connect = m_head.method == HttpMethod::Connect;
    if (target[0] == '/') {
        m_head.targetForm = Http1TargetForm::Origin;
    } else if (target == "*") {
        m_head.targetForm = Http1TargetForm::Asterisk;
        if (m_head.method != HttpMethod::Options)
            return failInHead(Http1Error::InvalidTarget, "'*' target is only valid with OPTIONS", at);
        return true;
    } else if (startsWithIgnoreCase(target, "http://") || startsWithIgnoreCase(target, "https://")) {
        m_head.targetForm = Http1TargetForm::Absolute;
        const QByteArrayView authority = m_head.targetAuthority();
        if (authority.isEmpty() || !isValidHost(authority))
            return failInHead(Http1Error::InvalidTarget, "invalid authority in absolute target", at);
    } else if (connect) {
        // authority-form = uri-host ":" port; the port is mandatory.
        m_head.targetForm = Http1TargetForm::Authority;
        const qsizetype colon = target.lastIndexOf(':');
        bool portOk = colon > 0 && colon + 1 < target.size();
        for (qsizetype i = colon + 1; portOk && i < target.size(); ++i)
            portOk = is(target[i], Digit);
        if (!portOk || !isValidHost(target))
            return failInHead(Http1Error::InvalidTarget, "CONNECT needs a host:port target", at);
        return true;
    } else {
        return failInHead(Http1Error::InvalidTarget, "unsupported request target form", at);
    }
    if (connect)
        return failInHead(Http1Error::InvalidTarget, "CONNECT needs a host:port target", at);
    return true;
}

bool Http1Parser::parseStatusLine(const char *p, const char *end)
{
    // HTTP-version SP 3DIGIT SP [ reason-phrase ]. A missing SP before an empty reason is tolerated:
    // it cannot change framing and several servers send "HTTP/1.1 200\r\n".
    if (end - p < 8 || std::memcmp(p, "HTTP/", 5) != 0)
        return failInHead(Http1Error::InvalidStartLine, "status line does not start with HTTP/", p);
    if (!is(p[5], Digit) || p[6] != '.' || !is(p[7], Digit) || end - p < 9 || p[8] != ' ')
        return failInHead(Http1Error::InvalidVersion, "malformed HTTP version", p);
    if (p[5] != '1' || (p[7] != '0' && p[7] != '1'))
        return failInHead(Http1Error::UnsupportedVersion, "only HTTP/1.0 and HTTP/1.1 are supported",
                          p);
    if (end - p < 12)
        return failInHead(Http1Error::InvalidStatusCode, "status code is not three digits", p + 9);
    m_head.version = p[7] == '1' ? HttpVersion::Http11 : HttpVersion::Http10;
    const char *s = p + 9;
    if (!is(s[0], Digit) || !is(s[1], Digit) || !is(s[2], Digit) || (s + 3 < end && s[3] != ' '))
        return failInHead(Http1Error::InvalidStatusCode, "status code is not three digits", s);
    m_head.statusCode = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    if (m_head.statusCode < 100 || m_head.statusCode > 599)
        return failInHead(Http1Error::InvalidStatusCode, "status code out of range", s);
    const char *r = s + 3 < end ? s + 4 : end;
    for (const char *q = r; q < end; ++q) {
        if (!is(*q, FieldValue))
            return failInHead(*q == '\r' ? Http1Error::InvalidLineEnding : Http1Error::InvalidStartLine,
                              "invalid character in reason phrase", q);
    }
    m_head.reason = QByteArrayView(r, end - r);
    return true;
}

bool Http1Parser::parseFieldLines(const char *p, const char *end, Http1FieldList &fields,
                                  bool isHead)
{
    auto failAt = [&](Http1Error code, const char *reason, const char *where) {
        if (isHead)
            return failInHead(code, reason, where);
        fail(code, reason, m_offset);
        return false;
    };
    while (p < end) {
        const char *lf = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (lf == p || lf[-1] != '\r')
            return failAt(Http1Error::InvalidLineEnding, "field line not ended by CRLF", lf);
        const char *lineEnd = lf - 1;
        if (lineEnd == p)
            return true; // the empty line closing the section
        if (isOws(*p))
            return failAt(Http1Error::ObsoleteLineFolding, "obsolete line folding", p);

        const char *q = p;
        while (q < lineEnd && is(*q, Token))
            ++q;
        if (q == lineEnd || q == p || *q != ':') {
            if (q < lineEnd && q > p && isOws(*q))
                return failAt(Http1Error::WhitespaceBeforeColon, "whitespace before colon", q);
            if (q < lineEnd && *q == '\r')
                return failAt(Http1Error::InvalidLineEnding, "bare CR in field name", q);
            return failAt(Http1Error::InvalidHeaderName, "invalid field name", q);
        }
        const QByteArrayView name(p, q - p);

        const char *v = q + 1;
        while (v < lineEnd && isOws(*v))
            ++v;
        const char *ve = lineEnd;
        while (ve > v && isOws(ve[-1]))
            --ve;
        for (const char *c = v; c < ve; ++c) {
            if (!is(*c, FieldValue))
                return failAt(*c == '\r' ? Http1Error::InvalidLineEnding
                                         : Http1Error::InvalidHeaderValue,
                              "invalid character in field value", c);
        }
        fields.append(name, QByteArrayView(v, ve - v));
        if (isHead && !applyFieldSemantics(fields.at(fields.size() - 1)))
            return false;
        p = lf + 1;
    }
    return true;
}

// Records what the framing and connection decisions need; refuses at once what can never be valid.
bool Http1Parser::applyFieldSemantics(const Http1Field &field)
{
    const QByteArrayView name = field.name;
    const QByteArrayView value = field.value;
    switch (name.size()) {
    case 4:
        if (nameIs(name, "host")) {
            if (++m_facts.hostCount > 1)
                return failInHead(Http1Error::DuplicateHost, "more than one Host field", name.data());
            if (!isValidHost(value))
                return failInHead(Http1Error::InvalidHost, "invalid Host value", value.data());
            m_head.host = value;
        }
        break;
    case 6:
        if (nameIs(name, "expect") && httpEqualsIgnoreCase(value, "100-continue"))
            m_head.expectContinue = true;
        break;
    case 7:
        if (nameIs(name, "upgrade") && !value.isEmpty())
            m_facts.hasUpgrade = true;
        break;
    case 10:
        if (nameIs(name, "connection")) {
            m_facts.connectionClose |= httpListContainsToken(value, "close");
            m_facts.connectionKeepAlive |= httpListContainsToken(value, "keep-alive");
            m_facts.connectionUpgrade |= httpListContainsToken(value, "upgrade");
        }
        break;
    case 14:
        if (nameIs(name, "content-length")) {
            if (++m_facts.contentLengthCount > 1)
                return failInHead(Http1Error::DuplicateContentLength,
                                  "more than one Content-Length field", name.data());
            if (value.isEmpty())
                return failInHead(Http1Error::InvalidContentLength, "empty Content-Length",
                                  name.data());
            qint64 length = 0;
            for (char c : value) {
                if (!is(c, Digit))
                    return failInHead(Http1Error::InvalidContentLength,
                                      "Content-Length is not a plain number", value.data());
                if (length > (std::numeric_limits<qint64>::max() - 9) / 10)
                    return failInHead(Http1Error::InvalidContentLength, "Content-Length overflows",
                                      value.data());
                length = length * 10 + (c - '0');
            }
            m_head.contentLength = length;
        }
        break;
    case 17:
        if (nameIs(name, "transfer-encoding")) {
            if (++m_facts.transferEncodingCount > 1)
                return failInHead(Http1Error::InvalidTransferEncoding,
                                  "more than one Transfer-Encoding field", name.data());
            m_facts.transferEncoding = value;
        }
        break;
    default:
        break;
    }
    return true;
}

// RFC 9112 §6.1 and §6.3: a request whose final coding is not chunked cannot be framed (400);
// chunked after other codings is well-framed but needs decoders the gateway does not have (501).
bool Http1Parser::decideTransferEncoding()
{
    const char *at = m_facts.transferEncoding.data();
    if (m_head.version == HttpVersion::Http10)
        return failInHead(Http1Error::InvalidTransferEncoding, "Transfer-Encoding in HTTP/1.0", at);
    if (m_facts.contentLengthCount > 0)
        return failInHead(Http1Error::ContentLengthWithTransferEncoding,
                          "both Content-Length and Transfer-Encoding", at);
    const QByteArrayView te = m_facts.transferEncoding;
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
            return failInHead(Http1Error::InvalidTransferEncoding, "empty transfer coding", start);
        for (const char *c = s; c < e; ++c) {
            // Parameters (";q=...") are allowed by the grammar but never with chunked; refusing
            // them keeps the rule simple: codings are bare tokens.
            if (!is(*c, Token))
                return failInHead(Http1Error::InvalidTransferEncoding,
                                  "invalid Transfer-Encoding value", c);
        }
        last = QByteArrayView(s, e - s);
        ++p; // past ',' (or past end, ending the loop)
    }
    if (!httpEqualsIgnoreCase(last, "chunked"))
        return failInHead(Http1Error::InvalidTransferEncoding, "Transfer-Encoding must end with chunked",
                          at);
    return failInHead(Http1Error::UnsupportedTransferCoding,
                      "transfer codings other than chunked are not supported", at);
}

bool Http1Parser::decideRequestFraming()
{
    const char *at = m_headBuffer.constData();
    const bool http11 = m_head.version == HttpVersion::Http11;
    if (m_facts.hostCount == 0 && http11 && m_requireHost)
        return failInHead(Http1Error::MissingHost, "HTTP/1.1 request without Host", at);
    if (m_head.method == HttpMethod::Connect
        && (m_facts.contentLengthCount > 0 || m_facts.transferEncodingCount > 0))
        return failInHead(Http1Error::BodyNotAllowed, "CONNECT request with a body", at);
    if (m_facts.transferEncodingCount > 0) {
        if (!decideTransferEncoding())
            return false;
        m_head.framing = Http1Framing::Chunked;
        m_head.contentLength = 0;
    } else if (m_facts.contentLengthCount > 0) {
        if (m_head.contentLength > m_limits.maxBodyBytes)
            return failInHead(Http1Error::BodyTooLarge, "Content-Length exceeds the body limit", at);
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
    if (m_facts.transferEncodingCount > 0 && !decideTransferEncoding())
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
            return failInHead(Http1Error::BodyTooLarge, "Content-Length exceeds the body limit",
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
