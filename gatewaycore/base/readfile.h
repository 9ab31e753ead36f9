// Reading a whole file that is small by contract (keys, certificates, JWKS, secrets).
#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

namespace Gatehouse {

// The bytes of `path`, or an error naming the path and the reason: it cannot be opened, or it holds
// more than `maxBytes` (refused, never cut short). A regular file is read into a buffer of its own
// size, so a generous limit costs nothing (a /proc file, size 0, is read whole and then checked); a
// device or pipe is read once, up to one byte past the limit.
Result<QByteArray> readSmallFile(const QString &path, qint64 maxBytes);

} // namespace Gatehouse
