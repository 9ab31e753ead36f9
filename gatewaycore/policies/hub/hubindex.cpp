// Reading and writing a policy hub's index.yaml.
#include "hubindex.h"

#include "policypackage.h"

#include "base/savefile.h"
#include "project/sourcedocument.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace Gatehouse {

namespace {

// A YAML double-quoted scalar (JSON string syntax is valid YAML).
QString quoted(const QString &s)
{
    QString out = QStringLiteral("\"");
    for (QChar c : s) {
        if (c == u'"' || c == u'\\')
            out += u'\\' + QString(c);
        else if (c.unicode() < 0x20)
            out += QStringLiteral("\\u%1").arg(int(c.unicode()), 4, 16, QChar(u'0'));
        else
            out += c;
    }
    return out + u'"';
}

} // namespace

std::optional<QList<HubEntry>> readHubIndex(const QString &hubDir, const QString &displayPrefix,
                                            Diagnostics &diagnostics, bool allowMissing)
{
    const QString display = displayPrefix + QStringLiteral("index.yaml");
    QFile file(hubDir + QStringLiteral("/index.yaml"));
    if (!file.exists() && allowMissing)
        return QList<HubEntry>();
    if (!file.open(QIODevice::ReadOnly)) {
        diagnostics.add({Severity::Error, {display, 0, 0},
                         QStringLiteral("cannot read the hub's index: %1").arg(file.errorString())});
        return std::nullopt;
    }
    const std::shared_ptr<const SourceDocument> doc = SourceDocument::parse(file.read(16 * 1024 * 1024), display, diagnostics);
    if (!doc)
        return std::nullopt;
    const int before = int(diagnostics.items().size());
    auto error = [&](const QString &pointer, const QString &message) {
        diagnostics.add({Severity::Error, doc->locate(pointer), message});
    };
    const QJsonValue packages = doc->root().toObject().value(u"packages");
    if (!doc->root().isObject() || !(packages.isArray() || packages.isNull() || packages.isUndefined())) {
        error(QString(), QStringLiteral("an index is a map with 'packages:', a list of {name, version, path, sha256}"));
        return std::nullopt;
    }
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    QList<HubEntry> out;
    const QJsonArray list = packages.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString at = JsonPointer::child(QStringLiteral("/packages"), i);
        const QJsonObject o = list.at(i).toObject();
        HubEntry e;
        e.name = o.value(u"name").toString();
        e.version = o.value(u"version").toString();
        e.path = o.value(u"path").toString();
        e.sha256 = o.value(u"sha256").toString().toLower();
        e.description = o.value(u"description").toString();
        for (const QJsonValue &t : o.value(u"tags").toArray())
            e.tags.append(t.toVariant().toString());
        e.location = doc->locate(at);
        if (!list.at(i).isObject()) {
            error(at, QStringLiteral("packages[%1]: expected a map {name, version, path, sha256}").arg(i));
            continue;
        }
        if (!isPackageName(e.name))
            error(at + QStringLiteral("/name"), QStringLiteral("packages[%1].name: expected a package name, found '%2'").arg(i).arg(doc->valueText(at + QStringLiteral("/name"))));
        if (!isSemver(e.version))
            error(at + QStringLiteral("/version"), QStringLiteral("packages[%1].version: expected a semantic version, found '%2'").arg(i).arg(doc->valueText(at + QStringLiteral("/version"))));
        if (!isSafeRelativePath(e.path))
            error(at + QStringLiteral("/path"), QStringLiteral("packages[%1].path: '%2' must be a folder inside the hub (no '..', "
                                                               "not absolute)").arg(i).arg(e.path));
        if (!hex.match(e.sha256).hasMatch())
            error(at + QStringLiteral("/sha256"), QStringLiteral("packages[%1].sha256: expected 64 hex digits").arg(i));
        if (findHubEntry(out, e.name, e.version))
            error(at, QStringLiteral("packages[%1]: %2 %3 is listed twice").arg(i).arg(e.name, e.version));
        out.append(e);
    }
    if (int(diagnostics.items().size()) != before)
        return std::nullopt;
    return out;
}

bool writeHubIndex(const QString &hubDir, QList<HubEntry> entries, QString *error)
{
    std::sort(entries.begin(), entries.end(), [](const HubEntry &a, const HubEntry &b) {
        return a.name != b.name ? a.name < b.name : compareSemver(a.version, b.version) < 0;
    });
    QString text = QStringLiteral("# The packages of this policy hub (written by `gatehoused policy publish`).\npackages:\n");
    for (const HubEntry &e : std::as_const(entries)) {
        QStringList tags;
        for (const QString &t : e.tags)
            tags.append(quoted(t));
        text += QStringLiteral("  - name: %1\n    version: %2\n    path: %3\n    sha256: %4\n    description: %5\n    tags: [%6]\n")
                    .arg(e.name, e.version, quoted(e.path), e.sha256, quoted(e.description), tags.join(QStringLiteral(", ")));
    }
    const Result<void> saved = saveFile(hubDir + QStringLiteral("/index.yaml"), text.toUtf8());
    if (!saved)
        *error = saved.error().message;
    return saved.ok();
}

const HubEntry *findHubEntry(const QList<HubEntry> &entries, const QString &name, const QString &version)
{
    const HubEntry *best = nullptr;
    for (const HubEntry &e : entries) {
        if (e.name != name)
            continue;
        if (!version.isEmpty()) {
            if (e.version == version)
                return &e;
            continue;
        }
        if (!best || compareSemver(e.version, best->version) > 0)
            best = &e;
    }
    return best;
}

} // namespace Gatehouse
