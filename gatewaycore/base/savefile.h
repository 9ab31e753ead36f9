// Writing a whole file atomically: readers see the old file or the new one, never a part.
#pragma once

#include "result.h"

#include <QByteArrayView>
#include <QString>

namespace Gatehouse {

enum class FileAccess {
    Default = 1,   // as the umask allows
    OwnerOnly,     // 0600, set before the first byte is written (private keys, secrets)
};

// Writes `data` to `path` through a temporary file renamed over it, creating the parent folder.
// Every byte is flushed before the rename: Qt 6.4's QSaveFile::commit() puts the temporary file in
// place even when its buffered bytes could not be written, so a full disk would otherwise replace
// a good file with an empty one. The error names the path and the reason.
Result<void> saveFile(const QString &path, QByteArrayView data, FileAccess access = FileAccess::Default);

} // namespace Gatehouse
