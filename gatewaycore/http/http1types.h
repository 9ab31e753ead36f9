// Vocabulary of the HTTP/1.1 codec: roles, versions, methods, body framing, limits and the closed
// set of reasons a message is refused, each mapped to the status the gateway answers with.
#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <limits>

namespace Gatehouse {

// Which side of the proxy a parser reads: requests from clients or responses from upstreams.
enum class Http1Role { Request = 1, Response };

// The only versions the codec accepts (RFC 9112 §2.3). Anything else is refused with 505.
enum class HttpVersion { Http10 = 1, Http11 };

// Methods the gateway treats specially get a value; every other registered method is `Other`
// (its spelling stays in Http1Head::methodName). Unregistered methods never reach this enum:
// the parser refuses them with 501 (RFC 9110 §9.1).
enum class HttpMethod { Get = 1, Head, Post, Put, Delete, Connect, Options, Trace, Patch, Other };

// RFC 9112 §3.2. Authority-form is accepted only with CONNECT, asterisk-form only with OPTIONS.
enum class Http1TargetForm { Origin = 1, Absolute, Authority, Asterisk };

// How the end of a message body is found (RFC 9112 §6.3).
enum class Http1Framing {
    NoBody = 1,    // bodiless request, HEAD/1xx/204/304 response, CONNECT/101 (the stream is handed off)
    ContentLength, // exactly Http1Head::contentLength bytes follow (possibly zero)
    Chunked,       // chunked transfer coding; trailers are kept
    UntilClose,    // responses only: the body ends when the upstream closes the connection
};

// Why a message was refused. The set is closed: the proxy maps each to a status with
// http1ErrorStatus() and closes the connection after answering, since the framing of anything that
// follows can no longer be trusted.
enum class Http1Error {
    // 400 Bad Request
    InvalidStartLine = 1,   // request/status line grammar: spaces, missing parts, HTTP/0.9 shape
    InvalidMethod,          // a byte that is not a token character
    InvalidTarget,          // control, space, non-ASCII or '#' byte; form not allowed for the method
    InvalidVersion,         // not "HTTP/" DIGIT "." DIGIT (HTTP/01.1, RTSP/1.0, trailing space)
    InvalidLineEnding,      // bare CR or bare LF where CRLF is required
    ObsoleteLineFolding,    // a field line starting with SP/HTAB (RFC 9112 §5.2)
    InvalidHeaderName,      // empty name, non-token character, missing colon
    WhitespaceBeforeColon,  // "Name : value" (RFC 9112 §5.1 requires 400)
    InvalidHeaderValue,     // control character (NUL, VT, FF, DEL ...) in a field value
    InvalidContentLength,   // empty, sign, space, comma list, non-digit or overflow
    DuplicateContentLength, // more than one Content-Length field, even with equal values
    ContentLengthWithTransferEncoding,
    InvalidTransferEncoding, // chunked not final, repeated field, or present in an HTTP/1.0 message
    BodyNotAllowed,         // Content-Length/Transfer-Encoding on a CONNECT request
    MissingHost,            // HTTP/1.1 request without Host (RFC 9112 §3.2)
    DuplicateHost,
    InvalidHost,
    InvalidChunkSize,       // empty, non-hex, "0x", spaces, too many digits, overflow
    InvalidChunkExtension,  // bad syntax or longer than Http1Limits::maxChunkExtensionBytes
    InvalidChunkData,       // chunk data not followed by CRLF
    InvalidStatusCode,      // responses: not three digits, or outside 100..599
    DataAfterClose,         // bytes after a message that ends the connection
    IncompleteMessage,      // the peer closed the connection in the middle of a message
    // 413 Content Too Large
    BodyTooLarge,
    // 414 URI Too Long
    RequestLineTooLong,
    // 431 Request Header Fields Too Large
    HeaderSectionTooLarge,
    TooManyHeaders,
    // 501 Not Implemented
    UnknownMethod,
    UnsupportedTransferCoding, // a coding other than chunked, chunked being final
    // 505 HTTP Version Not Supported
    UnsupportedVersion,
};

// The status to answer with. Requests map to 400/413/414/431/501/505; every failure of an upstream
// response maps to 502, since the client did nothing wrong.
int http1ErrorStatus(Http1Error error, Http1Role role);

// A stable, lowercase, dash-separated identifier ("content-length-with-transfer-encoding") for
// logs, metrics labels and tests.
QByteArrayView http1ErrorName(Http1Error error);

// Bounds on what one parser buffers and accepts; values come from gatehouse.yaml. A parser never
// holds more than maxRequestLineBytes + maxHeaderBytes + a few bytes of head, nor more than
// maxHeaderBytes of trailers, whatever the peer sends.
struct Http1Limits
{
    qsizetype maxRequestLineBytes = 8 * 1024; // request/status line without CRLF → 414
    qsizetype maxHeaderBytes = 32 * 1024;     // field lines with their CRLFs → 431 (also trailers)
    int maxHeaderCount = 100;                 // field lines → 431 (also trailers)
    int maxChunkSizeDigits = 16;              // hex digits, leading zeros included → 400
    qsizetype maxChunkExtensionBytes = 1024;  // everything after the size up to CRLF → 400
    qint64 maxBodyBytes = std::numeric_limits<qint64>::max(); // → 413, checked before reading
    int maxEmptyLinesBeforeMessage = 4;       // RFC 9112 §2.2 robustness; beyond → 400
};

// Case-sensitive lookup of a registered method (IANA HTTP Method Registry, plus PURGE and QUERY).
// Returns false for anything else, which the parser answers with 501.
bool httpMethodIsKnown(QByteArrayView name, HttpMethod *method = nullptr);
QByteArrayView httpMethodName(HttpMethod method); // empty for Other

} // namespace Gatehouse
