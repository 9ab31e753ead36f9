// Atomic whole-file writes (see savefile.h).
#include "savefile.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace Gatehouse {

Result<void> saveFile(const QString &path, QByteArrayView data, FileAccess access)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    if (access == FileAccess::OwnerOnly)
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (file.write(data.data(), data.size()) != data.size() || !file.flush() || !file.commit())
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace Gatehouse
