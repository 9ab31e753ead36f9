// A write-only QIODevice that gzips into another device, hashing both sides.
#include "gzipdevice.h"

#include <zlib.h>

namespace Gatehouse {

struct GzipDevice::Stream
{
    z_stream z = {};
    gz_header header = {};   // zlib keeps a pointer to it until the header is written
};

GzipDevice::GzipDevice(QIODevice *target, int level, QObject *parent)
    : QIODevice(parent), m_stream(std::make_unique<Stream>()), m_target(target)
{
    // windowBits 15 + 16: a gzip wrapper; zlib writes MTIME 0 and no name unless given a header.
    if (deflateInit2(&m_stream->z, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
        m_failed = true;
        return;
    }
    m_stream->header.os = 3;   // Unix, whatever the build host
    deflateSetHeader(&m_stream->z, &m_stream->header);
    open(QIODevice::WriteOnly);
}

GzipDevice::~GzipDevice()
{
    deflateEnd(&m_stream->z);
}

qint64 GzipDevice::readData(char *, qint64)
{
    return -1;
}

qint64 GzipDevice::writeData(const char *data, qint64 size)
{
    m_plainHash.addData(QByteArrayView(data, size));
    m_plainSize += size;
    return deflateSome(data, size, false) ? size : -1;
}

bool GzipDevice::deflateSome(const char *data, qint64 size, bool last)
{
    if (m_failed)
        return false;
    z_stream &z = m_stream->z;
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
    z.avail_in = uInt(size);
    char buffer[64 * 1024];
    int status = Z_OK;
    do {
        z.next_out = reinterpret_cast<Bytef *>(buffer);
        z.avail_out = sizeof buffer;
        status = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
        if (status == Z_STREAM_ERROR) {
            m_failed = true;
            setErrorString(QStringLiteral("gzip failed"));
            return false;
        }
        const qint64 produced = qint64(sizeof buffer - z.avail_out);
        if (produced > 0) {
            m_gzipHash.addData(QByteArrayView(buffer, produced));
            m_compressedSize += produced;
            if (m_target->write(buffer, produced) != produced) {
                m_failed = true;
                setErrorString(m_target->errorString());
                return false;
            }
        }
    } while (z.avail_out == 0 || (last && status != Z_STREAM_END));
    return true;
}

bool GzipDevice::finish()
{
    const bool ok = deflateSome(nullptr, 0, true);
    close();
    return ok && !m_failed;
}

} // namespace Gatehouse
