// Policy package manifests and checksums.
#include "policypackage.h"

#include "project/sourcedocument.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

namespace Gatehouse {

bool isPackageName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9-]{0,63}$"));
    return re.match(name).hasMatch();
}

bool isSemver(const QString &version)
{
    static const QRegularExpression re(
        QStringLiteral("^(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})(-[0-9A-Za-z.-]{1,64})?$"));
    return re.match(version).hasMatch();
}

int compareSemver(const QString &a, const QString &b)
{
    const QString coreA = a.section(u'-', 0, 0), coreB = b.section(u'-', 0, 0);
    const QStringList pa = coreA.split(u'.'), pb = coreB.split(u'.');
    for (int i = 0; i < 3 && i < pa.size() && i < pb.size(); ++i) {
        const qint64 x = pa.at(i).toLongLong(), y = pb.at(i).toLongLong();
        if (x != y)
            return x < y ? -1 : 1;
    }
    const QString preA = a.section(u'-', 1), preB = b.section(u'-', 1);
    if (preA.isEmpty() != preB.isEmpty())
        return preA.isEmpty() ? 1 : -1;   // 1.0.0-rc.1 < 1.0.0
    const QStringList ia = preA.split(u'.'), ib = preB.split(u'.');
    for (qsizetype i = 0; i < ia.size() && i < ib.size(); ++i) {
        bool na = false, nb = false;
        const qint64 x = ia.at(i).toLongLong(&na), y = ib.at(i).toLongLong(&nb);
        if (na && nb && x != y)
            return x < y ? -1 : 1;
        if (na != nb)
            return na ? -1 : 1;   // numeric identifiers sort first
        if (!na && ia.at(i) != ib.at(i))
            return ia.at(i) < ib.at(i) ? -1 : 1;
    }
    return ia.size() == ib.size() ? 0 : (ia.size() < ib.size() ? -1 : 1);
}

bool isSafeRelativePath(const QString &path)
{
    if (path.isEmpty() || QDir::isAbsolutePath(path) || path.contains(u'\\') || path.contains(QChar(0)))
        return false;
    const QStringList parts = path.split(u'/');
    for (const QString &p : parts) {
        if (p.isEmpty() || p == u"." || p == u"..")
            return false;
    }
    return true;
}

std::optional<PolicyPackage> readPackageManifest(const QString &dir, const QString &displayDir,
                                                 Diagnostics &diagnostics)
{
    const QString display = displayDir + QStringLiteral("/manifest.yaml");
    QFile file(dir + QStringLiteral("/manifest.yaml"));
    if (!file.open(QIODevice::ReadOnly)) {
        diagnostics.add({Severity::Error, {display, 0, 0}, QStringLiteral("cannot read the manifest: %1").arg(file.errorString())});
        return std::nullopt;
    }
    const std::shared_ptr<const SourceDocument> doc = SourceDocument::parse(file.read(1024 * 1024), display, diagnostics);
    if (!doc)
        return std::nullopt;
    const int before = int(diagnostics.items().size());
    auto error = [&](const QString &pointer, const QString &message) {
        diagnostics.add({Severity::Error, doc->locate(pointer), message});
    };
    if (!doc->root().isObject()) {
        error(QString(), QStringLiteral("a manifest is a map (name:, version:, description:, entry: ...), found %1")
                             .arg(jsonKindName(doc->root())));
        return std::nullopt;
    }
    const QJsonObject m = doc->root().toObject();
    static const QStringList kKnown{QStringLiteral("name"), QStringLiteral("version"), QStringLiteral("description"),
                                    QStringLiteral("tags"), QStringLiteral("settings"), QStringLiteral("entry"),
                                    QStringLiteral("tests")};
    for (auto it = m.begin(); it != m.end(); ++it) {
        if (!kKnown.contains(it.key()))
            error(JsonPointer::child(QString(), it.key()),
                  QStringLiteral("unknown key '%1' (known: %2)").arg(it.key(), kKnown.join(QStringLiteral(", "))));
    }
    PolicyPackage p;
    p.name = m.value(u"name").toString();
    if (!isPackageName(p.name))
        error(QStringLiteral("/name"), QStringLiteral("name: expected a package name (lower-case letters, digits and '-'), found '%1'")
                                           .arg(doc->valueText(QStringLiteral("/name"))));
    p.version = m.value(u"version").toString();
    if (!isSemver(p.version))
        error(QStringLiteral("/version"), QStringLiteral("version: expected a semantic version such as 1.2.0, found '%1'")
                                              .arg(doc->valueText(QStringLiteral("/version"))));
    p.description = m.value(u"description").toString();
    if (p.description.trimmed().isEmpty())
        error(QStringLiteral("/description"), QStringLiteral("description: a sentence saying what the policy does is required"));
    const QJsonValue tags = m.value(u"tags");
    if (!tags.isUndefined() && !tags.isArray())
        error(QStringLiteral("/tags"), QStringLiteral("tags: expected a list of words"));
    for (const QJsonValue &t : tags.toArray())
        p.tags.append(t.toVariant().toString());
    const QJsonValue settings = m.value(u"settings");
    if (!settings.isUndefined() && !settings.isObject())
        error(QStringLiteral("/settings"), QStringLiteral("settings: expected a JSON Schema (a map)"));
    p.settingsSchema = settings.toObject();
    p.entry = m.value(u"entry").toString();
    if (!isSafeRelativePath(p.entry)) {
        error(QStringLiteral("/entry"), QStringLiteral("entry: expected a file inside the package (no '..', not absolute), "
                                                       "found '%1'").arg(doc->valueText(QStringLiteral("/entry"))));
    } else if (p.entry.endsWith(QStringLiteral(".lua")) || p.entry.endsWith(QStringLiteral(".so"))) {
        p.kind = p.entry.endsWith(QStringLiteral(".so")) ? PackageEntryKind::Native : PackageEntryKind::Lua;
        if (!QFileInfo(dir + u'/' + p.entry).isFile())
            error(QStringLiteral("/entry"), QStringLiteral("entry: %1/%2 does not exist").arg(displayDir, p.entry));
    } else {
        error(QStringLiteral("/entry"), QStringLiteral("entry: expected a Lua script (.lua) or a native plugin (.so), found '%1'")
                                            .arg(p.entry));
    }
    const QJsonArray tests = m.value(u"tests").toArray();
    for (qsizetype i = 0; i < tests.size(); ++i) {
        const QString t = tests.at(i).toString();
        const QString pointer = JsonPointer::child(QStringLiteral("/tests"), i);
        if (!isSafeRelativePath(t))
            error(pointer, QStringLiteral("tests[%1]: expected a file inside the package, found '%2'").arg(i).arg(t));
        else if (!QFileInfo(dir + u'/' + t).isFile())
            error(pointer, QStringLiteral("tests[%1]: %2/%3 does not exist").arg(i).arg(displayDir, t));
        else
            p.tests.append(t);
    }
    if (int(diagnostics.items().size()) != before)
        return std::nullopt;
    return p;
}

std::optional<QString> packageChecksum(const QString &relativeOrAbsoluteDir, QString *error)
{
    const QString dir = QFileInfo(relativeOrAbsoluteDir).absoluteFilePath();
    const QDir root(dir);
    if (!root.exists()) {
        *error = QStringLiteral("%1 is not a folder").arg(dir);
        return std::nullopt;
    }
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QFileInfo info = it.fileInfo();
        const QString relative = root.relativeFilePath(path);
        if (relative.split(u'/').constFirst().startsWith(u'.') || info.fileName().startsWith(u'.'))
            continue;
        if (info.isSymLink()) {
            *error = QStringLiteral("%1 is a symbolic link; packages hold plain files only").arg(relative);
            return std::nullopt;
        }
        if (info.isFile())
            files.append(relative);
    }
    files.sort();
    QCryptographicHash total(QCryptographicHash::Sha256);
    for (const QString &relative : std::as_const(files)) {
        QFile f(root.filePath(relative));
        QCryptographicHash one(QCryptographicHash::Sha256);
        if (!f.open(QIODevice::ReadOnly) || !one.addData(&f)) {
            *error = QStringLiteral("cannot read %1: %2").arg(relative, f.errorString());
            return std::nullopt;
        }
        total.addData(relative.toUtf8());
        total.addData(QByteArrayView("\0", 1));
        total.addData(one.result().toHex());
        total.addData(QByteArrayView("\n"));
    }
    return QString::fromLatin1(total.result().toHex());
}

} // namespace Gatehouse
