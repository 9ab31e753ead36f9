// A policy package: a folder with manifest.yaml (name, semver version, description, tags, the
// settings schema, the entry: a Lua script or a native plugin) and the files it names; and the
// package checksum that hubs list and projects pin.
#pragma once

#include "base/diagnostic.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

namespace Gatehouse {

enum class PackageEntryKind { Lua = 1, Native };

struct PolicyPackage
{
    QString name;          // [a-z0-9][a-z0-9-]*, the policy name it is attached under
    QString version;       // semver: 1.2.3 or 1.2.3-rc.1
    QString description;
    QStringList tags;
    QJsonObject settingsSchema;   // JSON Schema of the attachment's settings ({} = none accepted)
    PackageEntryKind kind = PackageEntryKind::Lua;
    QString entry;         // relative to the package folder: "request-id.lua", "lib/x.so"
    QStringList tests;     // optional files named by the manifest (documentation of checks)
};

// Reads <dir>/manifest.yaml. Problems become diagnostics at `displayDir`/manifest.yaml:line:col;
// nullopt when there is any. Entry and test paths must stay inside the folder and exist.
std::optional<PolicyPackage> readPackageManifest(const QString &dir, const QString &displayDir,
                                                 Diagnostics &diagnostics);

// The package checksum (hex sha256): over every file below `dir` (dot files excluded), sorted by
// relative path, the lines "<path>\0<hex sha256 of the bytes>\n". A symbolic link or an unreadable
// file is an error (nullopt, *error says which).
std::optional<QString> packageChecksum(const QString &dir, QString *error);

bool isPackageName(const QString &name);
bool isSemver(const QString &version);
// <0, 0, >0 as semver orders a and b (both valid).
int compareSemver(const QString &a, const QString &b);
// A relative path with no "..", no absolute root, no backslash, no empty segment.
bool isSafeRelativePath(const QString &path);

} // namespace Gatehouse
