// gRPC-Web (grpc/doc/PROTOCOL-WEB.md) as the gateway translates it to gRPC: content types, the
// text mode's base64 in both directions (incremental, chunk boundaries anywhere), the length-
// prefixed frames checked on their way through (bounded, never buffered whole) and the trailers
// encoded as the body's last frame.
#pragma once

#include "grpcprotocol.h"

#include "http/http1head.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace Gatehouse {

enum class GrpcWebMode {
    Binary = 1,   // application/grpc-web[+proto]
    Text,         // application/grpc-web-text[+proto]: the body is base64
};

// The mode a content-type asks for (application/grpc-web, -web+proto, -web-text, -web-text+proto,
// optionally with ";params"); nothing when it is not gRPC-Web.
std::optional<GrpcWebMode> grpcWebMode(QByteArrayView contentType);

// Base64 (RFC 4648 §4) decoded as it arrives: quanta may be split anywhere between chunks, and a
// padded quantum may be followed by more base64 (PROTOCOL-WEB: padding inside the stream).
class Base64StreamDecoder
{
public:
    // Appends the decoded bytes to `out`. False on a byte outside the alphabet or misplaced
    // padding; the decoder then stays failed.
    bool decode(QByteArrayView in, QByteArray &out);
    // Whether the input ended on a quantum boundary.
    bool atEnd() const { return m_count == 0 && !m_failed; }
    bool failed() const { return m_failed; }

private:
    quint32 m_bits = 0;
    int m_count = 0;      // characters of the current quantum so far
    int m_padding = 0;    // '=' seen in the current quantum
    bool m_failed = false;
};

// Base64 written as bytes arrive; flush() pads the last partial quantum (called at message
// boundaries, so that each message can be decoded as soon as it arrives).
class Base64StreamEncoder
{
public:
    void encode(QByteArrayView in, QByteArray &out);
    void flush(QByteArray &out);

private:
    unsigned char m_held[2] = {};
    int m_heldCount = 0;
};

// Follows the length-prefixed frames of a gRPC body (1 flag byte, 4 bytes big-endian length):
// where each ends, and whether one is too large or malformed, without keeping any message.
class GrpcFrameScanner
{
public:
    enum class Error { None = 1, TooLarge, BadFlags, Truncated };

    // maxMessageBytes bounds a frame's declared length; flagMask the flag bits allowed
    // (0x01 compressed for messages; 0x80 too where a trailer frame may appear).
    explicit GrpcFrameScanner(qint64 maxMessageBytes, quint8 flagMask = 0x01)
        : m_max(maxMessageBytes), m_flagMask(flagMask) {}

    // Consumes bytes up to the end of the current frame, or all of `in`: the number consumed.
    // After a call, atBoundary() says whether a frame just ended.
    qsizetype advance(QByteArrayView in);
    bool atBoundary() const { return m_headerRead == 0 && m_remaining == 0; }
    // The body ended: Truncated when inside a frame.
    Error finish();
    Error error() const { return m_error; }
    qint64 framesSeen() const { return m_frames; }
    QString errorText() const;

private:
    qint64 m_max;
    quint8 m_flagMask;
    unsigned char m_header[5] = {};
    int m_headerRead = 0;
    qint64 m_remaining = 0;   // payload bytes of the current frame still to come
    qint64 m_frames = 0;
    qint64 m_declared = 0;
    Error m_error = Error::None;
};

// The trailer frame that ends a gRPC-Web response body: flag 0x80, length, then
// "name: value\r\n" per field with the name in lower case.
QByteArray grpcWebTrailerFrame(const Http1FieldList &trailers);

// The upstream's response fields as a gRPC-Web client gets them: content-type replaced by
// `contentType`, content-length dropped (the body's length changes). Views point into `upstream`.
void grpcWebResponseFields(const Http1FieldList &upstream, Http1FieldList &out, QByteArrayView contentType);

// One gRPC-Web call as the gateway bridges it: the client's body becomes the gRPC request body
// (text mode decoded; frames checked), the upstream's DATA and trailers become the client's body.
class GrpcWebCodec
{
public:
    // The default bound on one message when limits.maxBodyBytes sets none.
    static constexpr qint64 kDefaultMaxMessageBytes = 16 * 1024 * 1024;

    GrpcWebCodec(GrpcWebMode mode, QByteArrayView requestContentType, qint64 maxMessageBytes);

    GrpcWebMode mode() const { return m_mode; }
    // "application/grpc" plus the request's "+codec" suffix, for the upstream.
    QByteArrayView upstreamContentType() const { return m_upstreamType; }
    // The client's response content type: the request's gRPC-Web type (codec kept).
    QByteArrayView responseContentType() const { return m_responseType; }

    // Request: the client's body bytes, as gRPC bytes appended to `out`. False when they are
    // not valid (bad base64, a trailer frame, a message over the bound): error() says why.
    bool requestBytes(QByteArrayView in, QByteArray &out);
    // The client's body ended: false when it stopped inside a frame or a base64 quantum.
    bool requestEnd();
    // The status a request error stands for (RESOURCE_EXHAUSTED for a message over the bound,
    // INTERNAL otherwise) with its description.
    GatewayError requestError() const;

    // Response: the upstream's DATA as the client's body bytes.
    void responseBytes(QByteArrayView in, QByteArray &out);
    // The upstream's trailers (or the gateway's status) as the final frame.
    void responseTrailers(const Http1FieldList &trailers, QByteArray &out);
    void responseStatus(GrpcStatus status, QStringView message, QByteArray &out);

private:
    GrpcWebMode m_mode;
    QByteArray m_upstreamType;
    QByteArray m_responseType;
    Base64StreamDecoder m_decoder;
    Base64StreamEncoder m_encoder;
    GrpcFrameScanner m_requestFrames;
    GrpcFrameScanner m_responseFrames;
    QByteArray m_decoded;
    QString m_error;
    bool m_tooLarge = false;
};

} // namespace Gatehouse
