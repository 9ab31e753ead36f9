// Serializing HTTP/1.1 heads and chunked framing into QByteArray, sized once, validated as written.
#pragma once

#include "http/http1head.h"
#include "http/http1types.h"

#include <QByteArray>
#include <QByteArrayView>

#include <limits>
#include <span>

namespace Gatehouse::Http1Writer {

// Every function appends to `out` (never clears it) and grows it at most once per call: sizes are
// computed first, then bytes are copied in place.
//
// Head writers validate what they write: method and field names must be tokens, targets visible
// ASCII, values and reason phrases free of control bytes (CR/LF/NUL above all). Values may come
// from policies or scripts; refusing here is what keeps a header transform from splitting a
// response. On failure they return false and leave `out` unchanged. No field is added or removed:
// Content-Length/Transfer-Encoding/Connection are the caller's decisions.

// Which fields of a head are checked: [begin, end). The proxy passes the fields policies set; the
// rest it forwards were accepted by Http1Parser (tokens for names, values trimmed and free of
// control bytes: what the writer would check) or built by the gateway from such values and
// literals, and checking them again cost a tenth of a proxied request's instructions.
struct FieldRange
{
    qsizetype begin = 0;
    qsizetype end = std::numeric_limits<qsizetype>::max();   // default: every field
};

[[nodiscard]] bool appendRequestHead(QByteArray &out, QByteArrayView method, QByteArrayView target,
                                     HttpVersion version, std::span<const Http1Field> fields,
                                     FieldRange checked = {});

// `reason` empty: the standard phrase of the status ("Not Found"), or none for unknown codes.
[[nodiscard]] bool appendResponseHead(QByteArray &out, int statusCode, QByteArrayView reason,
                                      HttpVersion version, std::span<const Http1Field> fields,
                                      FieldRange checked = {});

// Chunked transfer coding (RFC 9112 §7.1). A chunk of zero bytes would end the body, so
// appendChunk() writes nothing for empty data.
void appendChunk(QByteArray &out, QByteArrayView data);
// For vectored writes of large bodies: "<hex size>\r\n" before the data and "\r\n" after it.
void appendChunkHeader(QByteArray &out, qint64 size);
void appendChunkDataEnd(QByteArray &out);
// "0\r\n" + trailer fields + "\r\n". Returns false (out unchanged) when a trailer is invalid.
[[nodiscard]] bool appendLastChunk(QByteArray &out, std::span<const Http1Field> trailers = {});

// "OK", "Not Found", ...; empty for codes without a registered phrase.
QByteArrayView standardReasonPhrase(int statusCode);

} // namespace Gatehouse::Http1Writer
