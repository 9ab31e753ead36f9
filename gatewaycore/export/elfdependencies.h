// The shared libraries an ELF program needs, found the way the dynamic loader finds them: its
// DT_NEEDED entries, each library's own, recursively, through DT_RUNPATH/DT_RPATH and the system
// directories; plus its program interpreter (PT_INTERP).
#pragma once

#include "base/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Gatehouse {

struct ElfInfo
{
    QString interpreter;   // PT_INTERP, e.g. "/lib64/ld-linux-x86-64.so.2"; empty for libraries
    QStringList needed;    // DT_NEEDED sonames, in order
    QStringList runPaths;  // DT_RUNPATH (or DT_RPATH), split, $ORIGIN expanded
};

// Reads a 64-bit little-endian ELF file's program headers and dynamic section.
Result<ElfInfo> readElfInfo(const QString &path);

struct ElfLibrary
{
    QString soname;   // as needed: "libQt6Core.so.6"
    QString path;     // where it was found, as the loader would open it: "/lib/x86_64-linux-gnu/libQt6Core.so.6"
};

struct ElfClosure
{
    QString interpreter;
    QList<ElfLibrary> libraries;   // every library needed by the roots and by each other, sorted by path
};

// The system directories of the loader (x86_64 Debian: /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu,
// /lib, /usr/lib); LD_LIBRARY_PATH is deliberately ignored so that the result does not depend on the shell.
QStringList defaultLibraryDirectories();

// Resolves the libraries of `roots` (executables and plugins) and of `dlopened` (sonames a program
// loads by itself, such as Qt's OpenSSL backend loading libssl.so.3). A soname found nowhere is an
// error naming it and who needs it. The interpreter is not listed among the libraries.
Result<ElfClosure> resolveElfClosure(const QStringList &roots, const QStringList &dlopened = {},
                                     const QStringList &systemDirectories = defaultLibraryDirectories());

} // namespace Gatehouse
