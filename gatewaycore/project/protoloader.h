// Internal entry points of the .proto loader; project.h declares the public one, loadProtos().
#pragma once

#include "grpcmodel.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Gatehouse {

struct ProtoSourceFile
{
    QString path;          // the import path: relative to the proto root, '/'-separated
    QByteArray contents;
};

// Parses `files` as one set (they may import each other, the built-in option files and
// google/protobuf/*). Diagnostics name project files displayPrefix + path ("protos/a.proto").
// A broken file is reported and skipped; the others still load. Never throws.
ProtoSet loadProtoSources(const QList<ProtoSourceFile> &files, const QString &displayPrefix,
                          Diagnostics &diagnostics);

// Reads every *.proto below `rootDir` (recursively, hidden entries skipped) and loads them with
// import paths relative to rootDir. A missing rootDir is an empty set, not an error.
ProtoSet loadProtoDirectory(const QString &rootDir, const QString &displayPrefix,
                            Diagnostics &diagnostics);

// Larger files are refused with a diagnostic rather than read.
constexpr qint64 kMaxProtoFileBytes = 16 * 1024 * 1024;

} // namespace Gatehouse
