// The offline policy hub: opening hubs (folders, git clones), search, install, publish, pins.
#include "policyhub.h"

#include "policypackage.h"

#include "base/savefile.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QUrl>

namespace Gatehouse {

namespace {

void fail(Diagnostics &diagnostics, const SourceLocation &where, const QString &message)
{
    diagnostics.add({Severity::Error, where, message});
}

bool isBareGitRepository(const QString &dir)
{
    return QFileInfo(dir + QStringLiteral("/HEAD")).isFile() && QFileInfo(dir + QStringLiteral("/objects")).isDir()
           && !QFileInfo(dir + QStringLiteral("/index.yaml")).exists();
}

// Copies the plain files below `from` (dot files skipped) to `to`; false with *error.
bool copyTree(const QString &relativeFrom, const QString &to, QString *error)
{
    const QString from = QFileInfo(relativeFrom).absoluteFilePath();
    const QDir root(from);
    QDirIterator it(from, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString relative = root.relativeFilePath(path);
        if (relative.split(u'/').constFirst().startsWith(u'.') || it.fileInfo().fileName().startsWith(u'.'))
            continue;
        if (it.fileInfo().isSymLink()) {
            *error = QStringLiteral("%1 is a symbolic link").arg(relative);
            return false;
        }
        const QString target = to + u'/' + relative;
        if (!QDir().mkpath(QFileInfo(target).absolutePath()) || !QFile::copy(path, target)) {
            *error = QStringLiteral("cannot copy %1 to %2").arg(relative, target);
            return false;
        }
        QFile::setPermissions(target, QFile::permissions(path));
    }
    return true;
}

// The `policyPackages:` block of gatehouse.yaml text, replaced (or appended) by `pins`.
QByteArray withPins(const QByteArray &yaml, const QList<PolicyPackagePin> &pins)
{
    QByteArray block = "policyPackages:\n";
    for (const PolicyPackagePin &p : pins)
        block += "  - {name: " + p.name.toUtf8() + ", version: " + p.version.toUtf8() + ", sha256: " + p.sha256.toUtf8() + "}\n";
    QList<QByteArray> lines = yaml.split('\n');
    if (!lines.isEmpty() && lines.constLast().isEmpty())
        lines.removeLast();
    qsizetype start = -1, end = -1;
    static const QRegularExpression key(QStringLiteral("^policyPackages\\s*:"));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = QString::fromUtf8(lines.at(i));
        if (start < 0) {
            if (key.match(line).hasMatch())
                start = i;
            continue;
        }
        if (!line.isEmpty() && !line.at(0).isSpace() && !line.startsWith(u'-') && !line.startsWith(u'#')) {
            end = i;
            break;
        }
    }
    QByteArray out;
    if (start < 0) {
        for (const QByteArray &l : std::as_const(lines))
            out += l + '\n';
        return out + (pins.isEmpty() ? QByteArray() : "# Installed with `gatehoused policy install`; pinned by version and checksum.\n" + block);
    }
    if (end < 0)
        end = lines.size();
    for (qsizetype i = 0; i < start; ++i)
        out += lines.at(i) + '\n';
    if (!pins.isEmpty())
        out += block;
    for (qsizetype i = end; i < lines.size(); ++i)
        out += lines.at(i) + '\n';
    return out;
}

bool writePins(const QString &projectDir, const QList<PolicyPackagePin> &pins, Diagnostics &diagnostics)
{
    QString file = projectDir + QStringLiteral("/gatehouse.yaml");
    if (!QFileInfo::exists(file) && QFileInfo::exists(projectDir + QStringLiteral("/gatehouse.yml")))
        file = projectDir + QStringLiteral("/gatehouse.yml");
    QFile in(file);
    QByteArray text = "version: 1\n";
    if (in.exists()) {
        if (!in.open(QIODevice::ReadOnly)) {
            fail(diagnostics, {QFileInfo(file).fileName(), 0, 0}, QStringLiteral("cannot read: %1").arg(in.errorString()));
            return false;
        }
        text = in.readAll();
    }
    const Result<void> saved = saveFile(file, withPins(text, pins));
    if (!saved)
        fail(diagnostics, {QFileInfo(file).fileName(), 0, 0}, saved.error().message);
    return saved.ok();
}

} // namespace

std::unique_ptr<PolicyHub> PolicyHub::open(const QString &spec, Diagnostics &diagnostics)
{
    auto hub = std::unique_ptr<PolicyHub>(new PolicyHub);
    hub->m_spec = spec;
    QString source;
    static const QRegularExpression scheme(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*://"));
    if (spec.startsWith(QStringLiteral("file://"))) {
        const QUrl url(spec);
        if (!url.isValid() || !url.isLocalFile()) {
            fail(diagnostics, {spec, 0, 0}, QStringLiteral("not a file:// URL of a local git repository"));
            return nullptr;
        }
        source = spec;
    } else if (scheme.match(spec).hasMatch()) {
        fail(diagnostics, {spec, 0, 0}, QStringLiteral("hubs are local: a folder, a git repository's path or a file:// URL "
                                                       "(the hub never uses the network)"));
        return nullptr;
    } else {
        const QFileInfo info(spec);
        if (!info.isDir()) {
            fail(diagnostics, {spec, 0, 0}, QStringLiteral("no such hub folder"));
            return nullptr;
        }
        if (!spec.endsWith(QStringLiteral(".git")) && !isBareGitRepository(spec)) {
            hub->m_dir = info.absoluteFilePath();
            return hub;
        }
        source = info.absoluteFilePath();
    }
    hub->m_clone = std::make_unique<QTemporaryDir>();
    if (!hub->m_clone->isValid()) {
        fail(diagnostics, {spec, 0, 0}, QStringLiteral("cannot create a temporary folder for the clone"));
        return nullptr;
    }
    hub->m_dir = hub->m_clone->path() + QStringLiteral("/hub");
    QProcess git;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    git.setProcessEnvironment(env);
    // Only the file transport is allowed: a hub never reaches the network.
    git.start(QStringLiteral("git"), {QStringLiteral("-c"), QStringLiteral("protocol.allow=never"), QStringLiteral("-c"),
                                      QStringLiteral("protocol.file.allow=always"), QStringLiteral("clone"),
                                      QStringLiteral("--quiet"), QStringLiteral("--"), source, hub->m_dir});
    if (!git.waitForStarted(10'000)) {
        fail(diagnostics, {spec, 0, 0}, QStringLiteral("cannot run git: %1").arg(git.errorString()));
        return nullptr;
    }
    if (!git.waitForFinished(120'000) || git.exitStatus() != QProcess::NormalExit || git.exitCode() != 0) {
        git.kill();
        fail(diagnostics, {spec, 0, 0}, QStringLiteral("git clone failed: %1")
                                           .arg(QString::fromUtf8(git.readAllStandardError()).trimmed()));
        return nullptr;
    }
    return hub;
}

std::optional<QList<HubEntry>> PolicyHub::entries(Diagnostics &diagnostics, bool allowMissing) const
{
    return readHubIndex(m_dir, displayPrefix(), diagnostics, allowMissing);
}

QString bundledHubDir()
{
    const QString installed = QCoreApplication::applicationDirPath() + QStringLiteral("/../share/gatehouse/hub");
    if (QFileInfo(installed + QStringLiteral("/index.yaml")).isFile())
        return QDir::cleanPath(installed);
    return QStringLiteral(GATEHOUSE_RESOURCES_DIR "/hub");
}

QString defaultHubSpec(const QString &projectDir)
{
    if (!projectDir.isEmpty()) {
        Diagnostics ignored;
        const ProjectSettings s = loadProjectSettings(projectDir, ignored);
        const QString path = QDir(projectDir).absoluteFilePath(s.hub.path);
        if (QFileInfo(path + QStringLiteral("/index.yaml")).isFile())
            return path;
    }
    return bundledHubDir();
}

QList<HubEntry> searchHub(const QList<HubEntry> &entries, const QString &term)
{
    QList<HubEntry> out;
    for (const HubEntry &e : entries) {
        const bool match = term.isEmpty() || e.name.contains(term, Qt::CaseInsensitive)
                           || e.description.contains(term, Qt::CaseInsensitive)
                           || e.tags.contains(term, Qt::CaseInsensitive);
        if (match && findHubEntry(entries, e.name) == &e)
            out.append(e);
    }
    return out;
}

std::optional<QList<PolicyPackagePin>> readPins(const QString &projectDir, Diagnostics &diagnostics)
{
    if (!QFileInfo(projectDir).isDir()) {
        fail(diagnostics, {projectDir, 0, 0}, QStringLiteral("no such project folder"));
        return std::nullopt;
    }
    Diagnostics found;
    const ProjectSettings s = loadProjectSettings(projectDir, found);
    if (found.hasErrors()) {
        for (const Diagnostic &d : found.items())
            diagnostics.add(d);
        return std::nullopt;
    }
    return s.policyPackages;
}

std::optional<HubEntry> installPackage(const PolicyHub &hub, const QString &name, const QString &version,
                                       const QString &projectDirAsGiven, Diagnostics &diagnostics)
{
    const QString projectDir = QFileInfo(projectDirAsGiven).absoluteFilePath();
    std::optional<QList<PolicyPackagePin>> pins = readPins(projectDir, diagnostics);
    const std::optional<QList<HubEntry>> entries = hub.entries(diagnostics);
    if (!pins || !entries)
        return std::nullopt;
    const HubEntry *e = findHubEntry(*entries, name, version);
    if (!e) {
        QStringList available;
        for (const HubEntry &other : *entries) {
            if (other.name == name || version.isEmpty())
                available.append(other.name + u'@' + other.version);
        }
        fail(diagnostics, {hub.displayPrefix() + QStringLiteral("index.yaml"), 0, 0},
             QStringLiteral("no package %1%2 in this hub (available: %3)")
                 .arg(name, version.isEmpty() ? QString() : u'@' + version,
                      available.isEmpty() ? QStringLiteral("none") : available.join(QStringLiteral(", "))));
        return std::nullopt;
    }
    const QString source = hub.dir() + u'/' + e->path;
    const QString hubRoot = QFileInfo(hub.dir()).canonicalFilePath();
    const QString canonical = QFileInfo(source).canonicalFilePath();
    if (canonical.isEmpty() || !canonical.startsWith(hubRoot + u'/')) {
        fail(diagnostics, e->location, QStringLiteral("package %1 %2: %3 is not a folder inside the hub").arg(e->name, e->version, e->path));
        return std::nullopt;
    }
    QString error;
    const std::optional<QString> sum = packageChecksum(source, &error);
    if (!sum) {
        fail(diagnostics, e->location, QStringLiteral("package %1 %2: %3").arg(e->name, e->version, error));
        return std::nullopt;
    }
    if (*sum != e->sha256) {
        fail(diagnostics, e->location, QStringLiteral("package %1 %2 does not match its checksum (index %3, files %4): "
                                                      "refused, the package was changed after it was published")
                                           .arg(e->name, e->version, e->sha256, *sum));
        return std::nullopt;
    }
    const std::optional<PolicyPackage> manifest = readPackageManifest(source, hub.displayPrefix() + e->path, diagnostics);
    if (!manifest)
        return std::nullopt;
    if (manifest->name != e->name || manifest->version != e->version) {
        fail(diagnostics, e->location, QStringLiteral("the index lists %1 %2 but its manifest says %3 %4")
                                           .arg(e->name, e->version, manifest->name, manifest->version));
        return std::nullopt;
    }
    const QString policies = projectDir + QStringLiteral("/policies");
    const QString staging = policies + QStringLiteral("/.") + e->name + QStringLiteral(".installing");
    const QString target = policies + u'/' + e->name;
    QDir(staging).removeRecursively();
    std::optional<QString> copied;
    if (copyTree(source, staging, &error))
        copied = packageChecksum(staging, &error);
    if (!copied || *copied != e->sha256) {
        QDir(staging).removeRecursively();
        fail(diagnostics, {QStringLiteral("policies/") + e->name, 0, 0},
             QStringLiteral("cannot install: %1").arg(error.isEmpty() ? QStringLiteral("the copy does not match the checksum") : error));
        return std::nullopt;
    }
    if (QFileInfo::exists(target) && !QDir(target).removeRecursively()) {
        QDir(staging).removeRecursively();
        fail(diagnostics, {QStringLiteral("policies/") + e->name, 0, 0}, QStringLiteral("cannot replace the installed copy"));
        return std::nullopt;
    }
    if (!QDir().rename(staging, target)) {
        fail(diagnostics, {QStringLiteral("policies/") + e->name, 0, 0}, QStringLiteral("cannot move the package in place"));
        return std::nullopt;
    }
    PolicyPackagePin pin{e->name, e->version, e->sha256, {}};
    bool replaced = false;
    for (PolicyPackagePin &p : *pins) {
        if (p.name == pin.name) {
            p = pin;
            replaced = true;
        }
    }
    if (!replaced)
        pins->append(pin);
    if (!writePins(projectDir, *pins, diagnostics))
        return std::nullopt;
    return *e;
}

std::optional<HubEntry> publishPackage(const QString &packageDir, const QString &hubDir, Diagnostics &diagnostics)
{
    const std::optional<PolicyPackage> manifest = readPackageManifest(packageDir, packageDir, diagnostics);
    if (!manifest)
        return std::nullopt;
    QString error;
    const std::optional<QString> sum = packageChecksum(packageDir, &error);
    if (!sum) {
        fail(diagnostics, {packageDir, 0, 0}, error);
        return std::nullopt;
    }
    if (!QDir().mkpath(hubDir)) {
        fail(diagnostics, {hubDir, 0, 0}, QStringLiteral("cannot create the hub folder"));
        return std::nullopt;
    }
    const QString prefix = hubDir.endsWith(u'/') ? hubDir : hubDir + u'/';
    std::optional<QList<HubEntry>> entries = readHubIndex(hubDir, prefix, diagnostics, true);
    if (!entries)
        return std::nullopt;
    HubEntry entry{manifest->name, manifest->version,
                   QStringLiteral("packages/%1/%2").arg(manifest->name, manifest->version),
                   *sum, manifest->description, manifest->tags, {}};
    if (const HubEntry *existing = findHubEntry(*entries, entry.name, entry.version)) {
        if (existing->sha256 == entry.sha256)
            return *existing;   // published already, the same files
        fail(diagnostics, existing->location, QStringLiteral("%1 %2 is published already with other files: publish a new "
                                                             "version instead (a version never changes)").arg(entry.name, entry.version));
        return std::nullopt;
    }
    const QString target = prefix + entry.path;
    if (QFileInfo::exists(target)) {
        fail(diagnostics, {prefix + entry.path, 0, 0}, QStringLiteral("exists but is not in the index: remove it or fix the index"));
        return std::nullopt;
    }
    if (!copyTree(packageDir, target, &error)) {
        QDir(target).removeRecursively();
        fail(diagnostics, {prefix + entry.path, 0, 0}, error);
        return std::nullopt;
    }
    entries->append(entry);
    if (!writeHubIndex(hubDir, *entries, &error)) {
        fail(diagnostics, {prefix + QStringLiteral("index.yaml"), 0, 0}, error);
        return std::nullopt;
    }
    return entry;
}

} // namespace Gatehouse
