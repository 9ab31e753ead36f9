// gRPC-Web framing and the text mode's base64, incremental in both directions.
#include "grpcweb.h"

#include <array>

namespace Gatehouse {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<qint8, 256> decodeTable()
{
    std::array<qint8, 256> t{};
    for (auto &v : t)
        v = -1;
    for (int i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(kAlphabet[i])] = qint8(i);
    return t;
}

constexpr std::array<qint8, 256> kDecode = decodeTable();

bool startsWithNoCase(QByteArrayView text, QByteArrayView prefix)
{
    return text.size() >= prefix.size() && text.first(prefix.size()).compare(prefix, Qt::CaseInsensitive) == 0;
}

// The "+codec" of a gRPC(-Web) content type after its base ("+proto", "+json"), params dropped.
QByteArrayView codecSuffix(QByteArrayView contentType, qsizetype baseSize)
{
    QByteArrayView rest = contentType.sliced(baseSize);
    if (const qsizetype semicolon = rest.indexOf(';'); semicolon >= 0)
        rest = rest.first(semicolon);
    rest = rest.trimmed();
    return rest.startsWith('+') ? rest : QByteArrayView();
}

} // namespace

std::optional<GrpcWebMode> grpcWebMode(QByteArrayView contentType)
{
    constexpr QByteArrayView kText = "application/grpc-web-text";
    constexpr QByteArrayView kBinary = "application/grpc-web";
    const auto followedWell = [&](qsizetype at) {
        return contentType.size() == at || contentType[at] == '+' || contentType[at] == ';'
               || contentType[at] == ' ';
    };
    if (startsWithNoCase(contentType, kText))
        return followedWell(kText.size()) ? std::optional(GrpcWebMode::Text) : std::nullopt;
    if (startsWithNoCase(contentType, kBinary))
        return followedWell(kBinary.size()) ? std::optional(GrpcWebMode::Binary) : std::nullopt;
    return std::nullopt;
}

// ---------------------------------------------------------------- base64

bool Base64StreamDecoder::decode(QByteArrayView in, QByteArray &out)
{
    if (m_failed)
        return false;
    for (const char ch : in) {
        if (ch == '=') {
            // Padding completes a quantum of 2 or 3 characters: "xx==" or "xxx=".
            if (m_count < 2) {
                m_failed = true;
                return false;
            }
            ++m_padding;
            ++m_count;
        } else {
            const qint8 v = kDecode[static_cast<unsigned char>(ch)];
            if (v < 0 || m_padding > 0) {   // not base64, or data after padding in a quantum
                m_failed = true;
                return false;
            }
            m_bits = (m_bits << 6) | quint32(v);
            ++m_count;
        }
        if (m_count < 4)
            continue;
        // A complete quantum: 3 bytes, fewer when padded.
        const quint32 bits = m_bits << (6 * m_padding);
        out.append(char((bits >> 16) & 0xff));
        if (m_padding < 2)
            out.append(char((bits >> 8) & 0xff));
        if (m_padding < 1)
            out.append(char(bits & 0xff));
        m_bits = 0;
        m_count = 0;
        m_padding = 0;
    }
    return true;
}

void Base64StreamEncoder::encode(QByteArrayView in, QByteArray &out)
{
    qsizetype i = 0;
    // Complete the held partial group first.
    while (m_heldCount > 0 && m_heldCount < 3 && i < in.size()) {
        if (m_heldCount == 2) {
            const quint32 v = (quint32(m_held[0]) << 16) | (quint32(m_held[1]) << 8)
                              | quint32(static_cast<unsigned char>(in[i++]));
            out.append(kAlphabet[(v >> 18) & 63]);
            out.append(kAlphabet[(v >> 12) & 63]);
            out.append(kAlphabet[(v >> 6) & 63]);
            out.append(kAlphabet[v & 63]);
            m_heldCount = 0;
        } else {
            m_held[m_heldCount++] = static_cast<unsigned char>(in[i++]);
        }
    }
    out.reserve(out.size() + (in.size() - i) / 3 * 4 + 4);
    for (; i + 3 <= in.size(); i += 3) {
        const quint32 v = (quint32(static_cast<unsigned char>(in[i])) << 16)
                          | (quint32(static_cast<unsigned char>(in[i + 1])) << 8)
                          | quint32(static_cast<unsigned char>(in[i + 2]));
        out.append(kAlphabet[(v >> 18) & 63]);
        out.append(kAlphabet[(v >> 12) & 63]);
        out.append(kAlphabet[(v >> 6) & 63]);
        out.append(kAlphabet[v & 63]);
    }
    for (; i < in.size(); ++i)
        m_held[m_heldCount++] = static_cast<unsigned char>(in[i]);
}

void Base64StreamEncoder::flush(QByteArray &out)
{
    if (m_heldCount == 0)
        return;
    const quint32 v = (quint32(m_held[0]) << 16) | (m_heldCount == 2 ? quint32(m_held[1]) << 8 : 0);
    out.append(kAlphabet[(v >> 18) & 63]);
    out.append(kAlphabet[(v >> 12) & 63]);
    out.append(m_heldCount == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.append('=');
    m_heldCount = 0;
}

// ---------------------------------------------------------------- frames

qsizetype GrpcFrameScanner::advance(QByteArrayView in)
{
    if (m_error != Error::None)
        return in.size();
    qsizetype used = 0;
    while (used < in.size()) {
        if (m_remaining > 0) {
            const qsizetype n = qsizetype(std::min<qint64>(m_remaining, in.size() - used));
            m_remaining -= n;
            used += n;
            return used;   // the frame ended here, or the input did
        }
        m_header[m_headerRead++] = static_cast<unsigned char>(in[used++]);
        if (m_headerRead < 5)
            continue;
        m_headerRead = 0;
        ++m_frames;
        const quint8 flags = m_header[0];
        m_declared = (qint64(m_header[1]) << 24) | (qint64(m_header[2]) << 16) | (qint64(m_header[3]) << 8)
                     | qint64(m_header[4]);
        if ((flags & ~m_flagMask) != 0) {
            m_error = Error::BadFlags;
            return in.size();
        }
        if (m_declared > m_max) {
            m_error = Error::TooLarge;
            return in.size();
        }
        m_remaining = m_declared;
        if (m_remaining == 0)
            return used;   // an empty message: a boundary
    }
    return used;
}

GrpcFrameScanner::Error GrpcFrameScanner::finish()
{
    if (m_error == Error::None && !atBoundary())
        m_error = Error::Truncated;
    return m_error;
}

QString GrpcFrameScanner::errorText() const
{
    switch (m_error) {
    case Error::None:
        return {};
    case Error::TooLarge:
        return QStringLiteral("A message declares %1 bytes, more than the %2 allowed").arg(m_declared).arg(m_max);
    case Error::BadFlags:
        return QStringLiteral("A frame has flags 0x%1, which a message may not carry")
            .arg(m_header[0], 2, 16, QLatin1Char('0'));
    case Error::Truncated:
        return QStringLiteral("The body ends inside a message frame");
    }
    return {};
}

QByteArray grpcWebTrailerFrame(const Http1FieldList &trailers)
{
    QByteArray block;
    for (const Http1Field &f : trailers) {
        block.append(f.name.toByteArray().toLower());
        block.append(": ");
        block.append(f.value.data(), f.value.size());
        block.append("\r\n");
    }
    QByteArray frame;
    frame.reserve(5 + block.size());
    const quint32 n = quint32(block.size());
    frame.append(char(0x80));
    frame.append(char((n >> 24) & 0xff));
    frame.append(char((n >> 16) & 0xff));
    frame.append(char((n >> 8) & 0xff));
    frame.append(char(n & 0xff));
    frame.append(block);
    return frame;
}

void grpcWebResponseFields(const Http1FieldList &upstream, Http1FieldList &out, QByteArrayView contentType)
{
    for (const Http1Field &f : upstream) {
        if (httpNameIs(f.name, "content-type") || httpNameIs(f.name, "content-length"))
            continue;
        out.append(f.name, f.value);
    }
    out.append("content-type", contentType);
}

// ---------------------------------------------------------------- one call

GrpcWebCodec::GrpcWebCodec(GrpcWebMode mode, QByteArrayView requestContentType, qint64 maxMessageBytes)
    : m_mode(mode), m_requestFrames(maxMessageBytes), m_responseFrames(qint64(0xffffffff))
{
    const qsizetype base = mode == GrpcWebMode::Text ? qsizetype(sizeof("application/grpc-web-text") - 1)
                                                     : qsizetype(sizeof("application/grpc-web") - 1);
    const QByteArrayView codec = codecSuffix(requestContentType, std::min(base, requestContentType.size()));
    m_upstreamType = QByteArray("application/grpc") + codec.toByteArray();
    m_responseType = (mode == GrpcWebMode::Text ? QByteArray("application/grpc-web-text")
                                                : QByteArray("application/grpc-web"))
                     + codec.toByteArray();
}

bool GrpcWebCodec::requestBytes(QByteArrayView in, QByteArray &out)
{
    if (!m_error.isEmpty())
        return false;
    QByteArrayView bytes = in;
    if (m_mode == GrpcWebMode::Text) {
        m_decoded.resize(0);
        if (!m_decoder.decode(in, m_decoded)) {
            m_error = QStringLiteral("The grpc-web-text body is not valid base64");
            return false;
        }
        bytes = m_decoded;
    }
    for (QByteArrayView rest = bytes; !rest.isEmpty();)
        rest = rest.sliced(m_requestFrames.advance(rest));
    if (m_requestFrames.error() != GrpcFrameScanner::Error::None) {
        m_tooLarge = m_requestFrames.error() == GrpcFrameScanner::Error::TooLarge;
        m_error = m_requestFrames.errorText();
        return false;
    }
    out.append(bytes.data(), bytes.size());
    return true;
}

bool GrpcWebCodec::requestEnd()
{
    if (!m_error.isEmpty())
        return false;
    if (m_mode == GrpcWebMode::Text && !m_decoder.atEnd()) {
        m_error = QStringLiteral("The grpc-web-text body ends inside a base64 quantum");
        return false;
    }
    if (m_requestFrames.finish() != GrpcFrameScanner::Error::None) {
        m_error = m_requestFrames.errorText();
        return false;
    }
    return true;
}

GatewayError GrpcWebCodec::requestError() const
{
    if (m_tooLarge)
        return {413, GatewayErrorCode::RequestTooLarge, QStringLiteral("Content too large"), m_error};
    return {400, GatewayErrorCode::BadRequest, QStringLiteral("Bad request"), m_error};
}

void GrpcWebCodec::responseBytes(QByteArrayView in, QByteArray &out)
{
    if (m_mode == GrpcWebMode::Binary) {
        out.append(in.data(), in.size());
        return;
    }
    // Each message's base64 ends padded, so the client can decode it as soon as it arrives.
    for (QByteArrayView rest = in; !rest.isEmpty();) {
        const qsizetype n = m_responseFrames.advance(rest);
        m_encoder.encode(rest.first(n), out);
        if (m_responseFrames.atBoundary() || m_responseFrames.error() != GrpcFrameScanner::Error::None)
            m_encoder.flush(out);
        rest = rest.sliced(n);
    }
}

void GrpcWebCodec::responseTrailers(const Http1FieldList &trailers, QByteArray &out)
{
    const QByteArray frame = grpcWebTrailerFrame(trailers);
    if (m_mode == GrpcWebMode::Binary) {
        out.append(frame);
        return;
    }
    m_encoder.flush(out);   // the body broke off inside a message: its bytes end here
    m_encoder.encode(frame, out);
    m_encoder.flush(out);
}

void GrpcWebCodec::responseStatus(GrpcStatus status, QStringView message, QByteArray &out)
{
    const GrpcTrailersOnly t(status, message);
    Http1FieldList trailers;
    for (const Http1Field &f : t.fields().subspan(1))   // grpc-status, grpc-message
        trailers.append(f.name, f.value);
    responseTrailers(trailers, out);
}

} // namespace Gatehouse
