// A reproducible tar writer (POSIX ustar, pax headers for long names).
#include "tarwriter.h"

#include <cstring>

namespace Gatehouse {

namespace {

constexpr int kBlock = 512;

void putOctal(char *field, int width, qint64 value)
{
    // width-1 digits and a NUL, zero-padded, as GNU tar and Go's archive/tar write them.
    const QByteArray digits = QByteArray::number(value, 8).rightJustified(width - 1, '0');
    std::memcpy(field, digits.constData(), size_t(width - 1));
    field[width - 1] = '\0';
}

// A pax record: "<length> key=value\n", where length counts itself.
QByteArray paxRecord(const QByteArray &key, const QByteArray &value)
{
    const QByteArray body = ' ' + key + '=' + value + '\n';
    qsizetype length = body.size() + 1;
    while (QByteArray::number(length).size() + body.size() != length)
        ++length;
    return QByteArray::number(length) + body;
}

// Splits a path into ustar's prefix (155) and name (100), or returns false when it does not fit.
bool splitUstar(const QByteArray &path, QByteArray &prefix, QByteArray &name)
{
    if (path.size() <= 100) {
        prefix.clear();
        name = path;
        return true;
    }
    for (qsizetype slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
        if (slash <= 155 && path.size() - slash - 1 <= 100 && slash + 1 < path.size()) {
            prefix = path.left(slash);
            name = path.mid(slash + 1);
            return true;
        }
    }
    return false;
}

} // namespace

Result<void> TarWriter::write(const QByteArray &bytes)
{
    if (m_out->write(bytes) != bytes.size())
        return Error::io(QStringLiteral("cannot write the archive: %1").arg(m_out->errorString()));
    m_written += bytes.size();
    return {};
}

Result<void> TarWriter::pad(qint64 size)
{
    const qint64 rest = size % kBlock;
    return rest == 0 ? Result<void>() : write(QByteArray(kBlock - rest, '\0'));
}

Result<void> TarWriter::header(const QString &path, char type, qint64 size, int mode, TarOwner owner,
                               const QString &linkTarget)
{
    const QByteArray name8 = path.toUtf8();
    const QByteArray link8 = linkTarget.toUtf8();
    QByteArray prefix, name;
    const bool fits = splitUstar(name8, prefix, name);
    if (!fits || link8.size() > 100) {
        QByteArray records;
        if (!fits)
            records += paxRecord("path", name8);
        if (link8.size() > 100)
            records += paxRecord("linkpath", link8);
        // The pax header's own name only has to be unique enough for readers that ignore pax.
        const QByteArray paxName = "PaxHeaders/" + name8.right(80);
        QByteArray paxPrefix, paxShort;
        splitUstar(paxName, paxPrefix, paxShort);
        if (auto r = header(QString::fromUtf8(paxShort), 'x', records.size(), 0644, {}); !r)
            return r;
        if (auto r = write(records); !r)
            return r;
        if (auto r = pad(records.size()); !r)
            return r;
        if (!fits) {
            name = name8.right(100);
            prefix.clear();
        }
    }
    char block[kBlock] = {};
    std::memcpy(block, name.constData(), size_t(qMin<qsizetype>(name.size(), 100)));
    putOctal(block + 100, 8, mode);
    putOctal(block + 108, 8, owner.uid);
    putOctal(block + 116, 8, owner.gid);
    putOctal(block + 124, 12, size);
    putOctal(block + 136, 12, m_mtime);
    std::memset(block + 148, ' ', 8);   // the checksum counts its own field as spaces
    block[156] = type;
    std::memcpy(block + 157, link8.constData(), size_t(qMin<qsizetype>(link8.size(), 100)));
    std::memcpy(block + 257, "ustar\0" "00", 8);
    putOctal(block + 329, 8, 0);
    putOctal(block + 337, 8, 0);
    std::memcpy(block + 345, prefix.constData(), size_t(qMin<qsizetype>(prefix.size(), 155)));
    unsigned sum = 0;
    for (unsigned char c : block)
        sum += c;
    putOctal(block + 148, 7, sum);
    block[155] = ' ';
    return write(QByteArray(block, kBlock));
}

Result<void> TarWriter::addDirectory(const QString &path, int mode, TarOwner owner)
{
    return header(path.endsWith(u'/') ? path : path + u'/', '5', 0, mode, owner);
}

Result<void> TarWriter::addFile(const QString &path, const QByteArray &content, int mode, TarOwner owner)
{
    if (auto r = header(path, '0', content.size(), mode, owner); !r)
        return r;
    if (auto r = write(content); !r)
        return r;
    return pad(content.size());
}

Result<void> TarWriter::addFile(const QString &path, QIODevice &source, qint64 size, int mode, TarOwner owner)
{
    if (auto r = header(path, '0', size, mode, owner); !r)
        return r;
    qint64 left = size;
    while (left > 0) {
        const QByteArray chunk = source.read(qMin<qint64>(left, 1 << 20));
        if (chunk.isEmpty())
            return Error::io(QStringLiteral("%1 ended %2 bytes early").arg(path).arg(left));
        if (auto r = write(chunk); !r)
            return r;
        left -= chunk.size();
    }
    return pad(size);
}

Result<void> TarWriter::addSymlink(const QString &path, const QString &target, TarOwner owner)
{
    return header(path, '2', 0, 0777, owner, target);
}

Result<void> TarWriter::finish()
{
    return write(QByteArray(2 * kBlock, '\0'));
}

} // namespace Gatehouse
