// gatehouse.yaml for a bundle: the file as written, with every secret replaced by an ${env:NAME}
// reference (comments, order and formatting kept), and the list of what was replaced.
#pragma once

#include "base/diagnostic.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Gatehouse {

// One secret setting of gatehouse.yaml and the variable that provides it in a bundle.
struct ExportedSecret
{
    QString setting;    // "security.users[demo].passwordHash"
    QString variable;   // "GATEHOUSE_USER_DEMO_PASSWORD_HASH"; empty for an absolute ${file:...} mount
    QString filePath;   // absolute ${file:...} kept as written (a mount such as /run/secrets/x)
    SourceLocation location;
    bool removed = false;   // a literal (or a project file) was left out of the bundle
};

struct SettingsExport
{
    QByteArray text;                // the bundle's gatehouse.yaml
    QList<ExportedSecret> secrets;  // every secret setting, in file order
    QStringList secretFiles;        // project-relative ${file:...} targets: never copied unless asked
};

// The variable name a secret setting gets in a bundle: GATEHOUSE_USER_<NAME>_PASSWORD_HASH,
// GATEHOUSE_ISSUER_<NAME>_SECRET, GATEHOUSE_KEYMANAGER_<NAME>_CLIENT_SECRET or _BEARER_TOKEN,
// GATEHOUSE_REDIS_PASSWORD. Existing ${env:NAME} references keep their names.
//
// With includeSecrets the text is returned unchanged (the secrets are still listed). A secret
// written as a YAML block scalar cannot be replaced in place and is an error at its place.
SettingsExport exportSettingsText(const QByteArray &text, const QString &displayPath, bool includeSecrets,
                                  Diagnostics &diagnostics);

} // namespace Gatehouse
