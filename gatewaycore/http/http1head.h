// A parsed HTTP/1.1 head (request or status line plus fields) as views into the parser's buffer.
#pragma once

#include "http/http1types.h"

#include <QByteArrayView>
#include <QVarLengthArray>

#include <cstring>
#include <span>

namespace Gatehouse {

// One field line. Name and value are views; the value has no leading or trailing whitespace.
struct Http1Field
{
    QByteArrayView name;
    QByteArrayView value;
};

// ASCII case-insensitive equality, as field names and most HTTP tokens compare.
bool httpEqualsIgnoreCaseSameSize(const char *a, const char *b, qsizetype size) noexcept;
inline bool httpEqualsIgnoreCase(QByteArrayView a, QByteArrayView b) noexcept
{
    // Inline: most comparisons (a field lookup walks every field) end at the length.
    return a.size() == b.size() && httpEqualsIgnoreCaseSameSize(a.data(), b.data(), a.size());
}

// httpEqualsIgnoreCase() for a field name, which must be a token (as the parser guarantees),
// against `lowercase`, a literal of lowercase letters, digits and '-'. Then setting bit 0x20 of
// the name's bytes is exact case folding, done eight bytes at a time: the proxy classifies every
// field it forwards with this. Any other text goes to httpEqualsIgnoreCase().
inline bool httpNameIs(QByteArrayView name, QByteArrayView lowercase) noexcept
{
    if (name.size() != lowercase.size())
        return false;
    const char *a = name.data();
    const char *b = lowercase.data();
    qsizetype n = name.size();
    for (; n >= 8; a += 8, b += 8, n -= 8) {
        quint64 x;
        quint64 y;
        std::memcpy(&x, a, 8);
        std::memcpy(&y, b, 8);
        if ((x | 0x2020202020202020ull) != y)
            return false;
    }
    for (; n > 0; ++a, ++b, --n) {
        if ((*a | 0x20) != *b)
            return false;
    }
    return true;
}

// `v` without optional whitespace (RFC 9110 §5.6.3: spaces and horizontal tabs) at either end,
// as list elements, parameters and field values are compared. Other bytes (CR, LF, NUL) are
// kept: rejecting them is the parser's job.
inline QByteArrayView httpTrimOws(QByteArrayView v) noexcept
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

// True when the comma-separated list (a Connection, Upgrade or TE value) holds `token`, compared
// ignoring case, with optional whitespace around elements.
bool httpListContainsToken(QByteArrayView list, QByteArrayView token) noexcept;

// Field lines in arrival order. Lookup is linear with a length check first: a head has few fields
// and a scan over a contiguous array beats hashing at that size. Duplicates are kept as sent.
class Http1FieldList
{
public:
    qsizetype size() const { return m_fields.size(); }
    bool isEmpty() const { return m_fields.isEmpty(); }
    const Http1Field &at(qsizetype i) const { return m_fields.at(i); }
    const Http1Field *begin() const { return m_fields.cbegin(); }
    const Http1Field *end() const { return m_fields.cend(); }
    std::span<const Http1Field> fields() const { return {m_fields.constData(), size_t(size())}; }

    void append(QByteArrayView name, QByteArrayView value) { m_fields.append({name, value}); }
    void clear() { m_fields.clear(); }

    // The first value of `name` (case-insensitive); a null view when the field is absent.
    QByteArrayView value(QByteArrayView name) const noexcept;
    bool contains(QByteArrayView name) const noexcept { return !value(name).isNull(); }
    qsizetype count(QByteArrayView name) const noexcept;

private:
    QVarLengthArray<Http1Field, 24> m_fields;
};

// The head of one message. Every view points into memory owned by the Http1Parser that produced
// it and stays valid until that parser starts reading the next message (the first next() call
// after MessageComplete) or is reset. Copy what must outlive that.
struct Http1Head
{
    Http1Role role = Http1Role::Request;
    HttpVersion version = HttpVersion::Http11;

    // Requests
    HttpMethod method = HttpMethod::Get;
    QByteArrayView methodName;        // as sent, e.g. "PROPFIND"
    QByteArrayView target;            // request-target as sent
    Http1TargetForm targetForm = Http1TargetForm::Origin;
    QByteArrayView host;              // Host value (null when absent, e.g. HTTP/1.0)

    // Responses
    int statusCode = 0;
    QByteArrayView reason;

    Http1FieldList headers;

    Http1Framing framing = Http1Framing::NoBody;
    qint64 contentLength = 0;         // meaningful with Http1Framing::ContentLength

    // Whether the connection may carry another message after this one (RFC 9112 §9.3). False for
    // "Connection: close", HTTP/1.0 without keep-alive, until-close bodies.
    bool keepAlive = true;
    // HTTP/1.1 request with "Expect: 100-continue": the proxy decides whether to answer 100 first.
    bool expectContinue = false;
    // The connection leaves HTTP/1.1 after this message: a CONNECT request, an HTTP/1.1 request
    // with "Connection: upgrade" and an Upgrade field (value in headers.value("upgrade")), a 101
    // response, or a 2xx answer to CONNECT. The parser pauses after MessageComplete.
    bool upgrade = false;

    // 1xx responses other than 101 are interim: a final response follows on the same stream.
    bool isInterim() const { return statusCode >= 100 && statusCode < 200 && statusCode != 101; }

    // Path and query of an origin-form or absolute-form target ("/a?b"); "/" for an absolute-form
    // target without a path, empty for authority and asterisk forms.
    QByteArrayView pathAndQuery() const;
    // Authority of an absolute-form ("example.com:8080") or authority-form target, else empty.
    QByteArrayView targetAuthority() const;
};

} // namespace Gatehouse
