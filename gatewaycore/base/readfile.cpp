#include "readfile.h"

#include <QFile>

namespace Gatehouse {

Result<QByteArray> readSmallFile(const QString &path, qint64 maxBytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    if (!f.isSequential() && f.size() > maxBytes)
        return Error::io(QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(maxBytes));
    // QIODevice::read(n) allocates n bytes up front; readAll() of a regular file allocates its size.
    QByteArray bytes = f.isSequential() ? f.read(maxBytes + 1) : f.readAll();
    if (f.error() != QFileDevice::NoError)
        return Error::io(QStringLiteral("cannot read %1: %2").arg(path, f.errorString()));
    if (bytes.size() > maxBytes)   // a pipe, or a file that grew since size() was asked
        return Error::io(QStringLiteral("%1 is larger than %2 bytes").arg(path).arg(maxBytes));
    return bytes;
}

} // namespace Gatehouse
