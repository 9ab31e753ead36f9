// A policy hub's index.yaml: the packages it offers, each version with its folder and checksum.
//   packages:
//     - {name: request-id, version: 1.0.0, path: packages/request-id/1.0.0, sha256: 3f2a...,
//        description: ..., tags: [headers]}
#pragma once

#include "base/diagnostic.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Gatehouse {

struct HubEntry
{
    QString name;
    QString version;
    QString path;          // relative to the hub's root, inside it
    QString sha256;        // packageChecksum() of that folder
    QString description;
    QStringList tags;
    SourceLocation location;   // of the entry in index.yaml
};

// Reads <hubDir>/index.yaml; problems at `displayPrefix`index.yaml:line:col (nullopt on any).
// A missing index.yaml is an empty hub when allowMissing (publishing to a new folder).
std::optional<QList<HubEntry>> readHubIndex(const QString &hubDir, const QString &displayPrefix,
                                            Diagnostics &diagnostics, bool allowMissing = false);

// Writes index.yaml (sorted by name, then version), atomically.
bool writeHubIndex(const QString &hubDir, QList<HubEntry> entries, QString *error);

// The entry of `name` at `version`, or the newest version when `version` is empty; nullptr if none.
const HubEntry *findHubEntry(const QList<HubEntry> &entries, const QString &name, const QString &version = {});

} // namespace Gatehouse
