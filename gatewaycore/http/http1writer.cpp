// Http1Writer: one size computation, one resize, memcpy into place; validation on the same pass.
#include "http/http1writer.h"

#include "http/http1chars.h"

#include <cstring>

namespace Gatehouse::Http1Writer {

using namespace Http1Chars;

namespace {

bool allOf(QByteArrayView text, std::uint8_t cls)
{
    for (char c : text) {
        if (!is(c, cls))
            return false;
    }
    return true;
}

// Field values and reason phrases: field-vchar with inner SP/HTAB (the parser's own check, sixteen
// bytes per step).
bool isFieldValueText(QByteArrayView text)
{
    const char *end = text.data() + text.size();
    return findInvalidValueByte(text.data(), end) == end;
}

// Field values: no leading or trailing whitespace either, to keep the written head identical to
// what a strict parser would read back.
bool isValidValue(QByteArrayView value)
{
    if (!value.isEmpty() && (isOws(value.front()) || isOws(value.back())))
        return false;
    return isFieldValueText(value);
}

bool isValidTarget(QByteArrayView target)
{
    const char *end = target.data() + target.size();
    return !target.isEmpty() && findInvalidTargetByte(target.data(), end) == end;
}

// Size of the field lines plus the closing empty line, or -1 if a field is invalid.
qsizetype fieldsSize(std::span<const Http1Field> fields, FieldRange checked)
{
    qsizetype size = 2;
    for (qsizetype i = 0; i < qsizetype(fields.size()); ++i) {
        const Http1Field &f = fields[size_t(i)];
        if (i >= checked.begin && i < checked.end
            && (f.name.isEmpty() || !allOf(f.name, Token) || !isValidValue(f.value)))
            return -1;
        size += f.name.size() + 2 + f.value.size() + 2;
    }
    return size;
}

char *put(char *w, QByteArrayView bytes)
{
    if (!bytes.isEmpty())
        std::memcpy(w, bytes.data(), size_t(bytes.size()));
    return w + bytes.size();
}

char *putFields(char *w, std::span<const Http1Field> fields)
{
    for (const Http1Field &f : fields) {
        w = put(w, f.name);
        w = put(w, ": ");
        w = put(w, f.value);
        w = put(w, "\r\n");
    }
    return put(w, "\r\n");
}

QByteArrayView versionText(HttpVersion version)
{
    return version == HttpVersion::Http10 ? QByteArrayView("HTTP/1.0") : QByteArrayView("HTTP/1.1");
}

// Grows `out` by `size` bytes without initialising them; returns where to write.
char *grow(QByteArray &out, qsizetype size)
{
    const qsizetype old = out.size();
    out.resize(old + size);
    return out.data() + old;
}

int hexDigits(quint64 value)
{
    int digits = 1;
    while (value >>= 4)
        ++digits;
    return digits;
}

} // namespace

bool appendRequestHead(QByteArray &out, QByteArrayView method, QByteArrayView target,
                       HttpVersion version, std::span<const Http1Field> fields, FieldRange checked)
{
    if (method.isEmpty() || !allOf(method, Token) || !isValidTarget(target))
        return false;
    const qsizetype fieldBytes = fieldsSize(fields, checked);
    if (fieldBytes < 0)
        return false;
    char *w = grow(out, method.size() + 1 + target.size() + 1 + 8 + 2 + fieldBytes);
    w = put(w, method);
    *w++ = ' ';
    w = put(w, target);
    *w++ = ' ';
    w = put(w, versionText(version));
    w = put(w, "\r\n");
    putFields(w, fields);
    return true;
}

bool appendResponseHead(QByteArray &out, int statusCode, QByteArrayView reason, HttpVersion version,
                        std::span<const Http1Field> fields, FieldRange checked)
{
    if (statusCode < 100 || statusCode > 599)
        return false;
    if (reason.isEmpty())
        reason = standardReasonPhrase(statusCode);
    else if (!isFieldValueText(reason))
        return false;
    const qsizetype fieldBytes = fieldsSize(fields, checked);
    if (fieldBytes < 0)
        return false;
    char *w = grow(out, 8 + 1 + 3 + 1 + reason.size() + 2 + fieldBytes);
    w = put(w, versionText(version));
    *w++ = ' ';
    *w++ = char('0' + statusCode / 100);
    *w++ = char('0' + statusCode / 10 % 10);
    *w++ = char('0' + statusCode % 10);
    *w++ = ' ';
    w = put(w, reason);
    w = put(w, "\r\n");
    putFields(w, fields);
    return true;
}

void appendChunkHeader(QByteArray &out, qint64 size)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const auto value = quint64(size < 0 ? 0 : size);
    const int digits = hexDigits(value);
    char *w = grow(out, digits + 2);
    for (int i = digits - 1; i >= 0; --i)
        *w++ = kHex[(value >> (4 * i)) & 0xf];
    *w++ = '\r';
    *w = '\n';
}

void appendChunkDataEnd(QByteArray &out)
{
    out.append("\r\n", 2);
}

void appendChunk(QByteArray &out, QByteArrayView data)
{
    if (data.isEmpty())
        return;
    out.reserve(out.size() + hexDigits(quint64(data.size())) + 2 + data.size() + 2);
    appendChunkHeader(out, data.size());
    out.append(data.data(), data.size());
    appendChunkDataEnd(out);
}

bool appendLastChunk(QByteArray &out, std::span<const Http1Field> trailers)
{
    const qsizetype fieldBytes = fieldsSize(trailers, {});
    if (fieldBytes < 0)
        return false;
    char *w = grow(out, 3 + fieldBytes);
    w = put(w, "0\r\n");
    putFields(w, trailers);
    return true;
}

QByteArrayView standardReasonPhrase(int statusCode)
{
    switch (statusCode) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 103: return "Early Hints";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 300: return "Multiple Choices";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return {};
    }
}

} // namespace Gatehouse::Http1Writer
