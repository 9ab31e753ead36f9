// The offline policy hub: open a hub (a folder, or a git repository by local path or file:// URL,
// cloned with the git CLI — never the network), search it, install packages into a project
// (copied to policies/NAME/, pinned in gatehouse.yaml `policyPackages:`), publish a package folder
// into a hub, update installed packages. Every step verifies checksums; problems are diagnostics
// (file:line:col where a file is to blame).
#pragma once

#include "hubindex.h"

#include "base/diagnostic.h"
#include "project/projectsettings.h"

#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace Gatehouse {

class PolicyHub
{
public:
    // `spec`: a folder holding index.yaml; a bare git repository or a path ending in ".git"; or a
    // file:// URL (both cloned into a temporary folder, removed with this object). Other URLs are
    // refused: the hub works offline. nullptr with a diagnostic.
    static std::unique_ptr<PolicyHub> open(const QString &spec, Diagnostics &diagnostics);

    QString spec() const { return m_spec; }
    QString dir() const { return m_dir; }
    bool isGit() const { return m_clone != nullptr; }
    // "HUB/" for messages about the hub's files (the spec as given, not a temporary clone).
    QString displayPrefix() const { return m_spec.endsWith(u'/') ? m_spec : m_spec + u'/'; }
    std::optional<QList<HubEntry>> entries(Diagnostics &diagnostics, bool allowMissing = false) const;

private:
    QString m_spec;
    QString m_dir;
    std::unique_ptr<QTemporaryDir> m_clone;
};

// The hub `policy` commands use without --hub: the project's `hub.path` when that folder exists,
// else the hub installed with gatehoused (share/gatehouse/hub), else the source tree's resources/hub.
QString defaultHubSpec(const QString &projectDir);
QString bundledHubDir();

// Entries matching `term` (name, description or tags, any case), newest version of each name.
QList<HubEntry> searchHub(const QList<HubEntry> &entries, const QString &term);

// Installs `name` (`version`, or the newest) from `hub` into `projectDir`. Returns the entry
// installed, nullopt after diagnostics.
std::optional<HubEntry> installPackage(const PolicyHub &hub, const QString &name, const QString &version,
                                       const QString &projectDir, Diagnostics &diagnostics);

// Validates the package folder, copies it to <hub>/packages/NAME/VERSION and lists it in the index.
// Publishing the same version again with other files is refused.
std::optional<HubEntry> publishPackage(const QString &packageDir, const QString &hubDir, Diagnostics &diagnostics);

// The pins of `projectDir`'s gatehouse.yaml; nullopt after diagnostics.
std::optional<QList<PolicyPackagePin>> readPins(const QString &projectDir, Diagnostics &diagnostics);

} // namespace Gatehouse
