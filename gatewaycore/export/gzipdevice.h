// A write-only QIODevice that gzips what it is given into another device, with SHA-256 digests of
// both sides (an OCI layer needs the digest of the compressed blob and the uncompressed diff_id).
#pragma once

#include <QCryptographicHash>
#include <QIODevice>

#include <memory>

namespace Gatehouse {

// The gzip member has no file name and a zero time stamp, so equal input gives equal bytes.
class GzipDevice : public QIODevice
{
    Q_OBJECT
public:
    explicit GzipDevice(QIODevice *target, int level = 9, QObject *parent = nullptr);
    ~GzipDevice() override;

    // Flushes the deflate stream and writes the gzip trailer; the device is closed afterwards.
    bool finish();

    QByteArray uncompressedSha256() const { return m_plainHash.result(); }
    QByteArray compressedSha256() const { return m_gzipHash.result(); }
    qint64 compressedSize() const { return m_compressedSize; }
    qint64 uncompressedSize() const { return m_plainSize; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    bool deflateSome(const char *data, qint64 size, bool last);

    struct Stream;
    std::unique_ptr<Stream> m_stream;
    QIODevice *m_target;
    QCryptographicHash m_plainHash{QCryptographicHash::Sha256};
    QCryptographicHash m_gzipHash{QCryptographicHash::Sha256};
    qint64 m_plainSize = 0;
    qint64 m_compressedSize = 0;
    bool m_failed = false;
};

} // namespace Gatehouse
