// A reproducible tar writer (POSIX ustar, pax headers for long names): what is written depends only
// on the entries, never on the clock, the user or the order files were found in.
#pragma once

#include "base/result.h"

#include <QByteArray>
#include <QIODevice>
#include <QString>

namespace Gatehouse {

struct TarOwner
{
    int uid = 0;
    int gid = 0;
};

// Writes entries to `out` in the order given (callers sort them). Every entry gets the same
// modification time, owner names are left empty, and numeric owners are the ones passed.
class TarWriter
{
public:
    explicit TarWriter(QIODevice *out, qint64 mtime = 0) : m_out(out), m_mtime(mtime) {}

    // Paths are relative ("usr/bin/x"); a directory's may end in "/". Modes are octal permissions.
    Result<void> addDirectory(const QString &path, int mode = 0755, TarOwner owner = {});
    Result<void> addFile(const QString &path, const QByteArray &content, int mode = 0644, TarOwner owner = {});
    // Streams `size` bytes of `source` (a file on disk, a temporary blob ...).
    Result<void> addFile(const QString &path, QIODevice &source, qint64 size, int mode = 0644, TarOwner owner = {});
    Result<void> addSymlink(const QString &path, const QString &target, TarOwner owner = {});
    // The two zero blocks that end an archive. Nothing may be added after.
    Result<void> finish();

    qint64 bytesWritten() const { return m_written; }

private:
    Result<void> header(const QString &path, char type, qint64 size, int mode, TarOwner owner,
                        const QString &linkTarget = {});
    Result<void> write(const QByteArray &bytes);
    Result<void> pad(qint64 size);

    QIODevice *m_out;
    qint64 m_mtime;
    qint64 m_written = 0;
};

} // namespace Gatehouse
