// MGW 3.x runtime configuration (micro-gw.conf, TOML) mapped onto gatehouse.yaml's listeners and
// security sections: issuers, key manager, the API-key issuer, Basic-auth users.
#pragma once

#include "mgwimport.h"
#include "tomldocument.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace Gatehouse {

struct MgwRuntimeImport
{
    QString listenersYaml;   // "listeners:\n  http:\n ..." or empty
    QString securityYaml;    // "security:\n ..." or empty
    QList<std::pair<QString, QByteArray>> secretFiles;   // project-relative path → content (0600)
    QList<std::pair<QString, QString>> copies;           // project-relative target → absolute source
    QStringList carried;
    QList<MgwImportNote> notCarried;
};

// `conf` is the parsed file, `displayPath` its name in diagnostics and notes. Values of the wrong
// type or out of range are errors (nothing is imported then); parts without a Gatehouse
// counterpart become notes. `certificateDir` holds PEM files named after truststore aliases.
MgwRuntimeImport importMgwRuntimeConfig(const TomlValue &conf, const QString &displayPath,
                                        const QString &certificateDir, Diagnostics &diagnostics);

// A YAML double-quoted scalar (JSON string syntax), or the text as it is when that is unambiguous.
QString mgwYamlScalar(const QString &text);

} // namespace Gatehouse
