// The shared libraries an ELF program needs, resolved as the dynamic loader does.
#include "elfdependencies.h"

#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QSet>

#include <cstring>
#include <elf.h>

namespace Gatehouse {

namespace {

template<typename T>
bool readAt(const QByteArray &bytes, quint64 offset, T &out)
{
    if (offset > quint64(bytes.size()) || quint64(bytes.size()) - offset < sizeof(T))
        return false;
    std::memcpy(&out, bytes.constData() + offset, sizeof(T));
    return true;
}

// File offset of a virtual address, through the PT_LOAD segment that maps it.
std::optional<quint64> fileOffset(const QList<Elf64_Phdr> &loads, quint64 address)
{
    for (const Elf64_Phdr &p : loads) {
        if (address >= p.p_vaddr && address < p.p_vaddr + p.p_filesz)
            return address - p.p_vaddr + p.p_offset;
    }
    return std::nullopt;
}

QString stringAt(const QByteArray &bytes, quint64 offset)
{
    if (offset >= quint64(bytes.size()))
        return {};
    const char *start = bytes.constData() + offset;
    return QString::fromUtf8(start, qstrnlen(start, size_t(quint64(bytes.size()) - offset)));
}

} // namespace

QStringList defaultLibraryDirectories()
{
    return {QStringLiteral("/lib/x86_64-linux-gnu"), QStringLiteral("/usr/lib/x86_64-linux-gnu"),
            QStringLiteral("/lib"), QStringLiteral("/usr/lib")};
}

Result<ElfInfo> readElfInfo(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
    const QByteArray bytes = file.readAll();
    Elf64_Ehdr eh;
    if (!readAt(bytes, 0, eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
        return Error::config(QStringLiteral("%1 is not an ELF file").arg(path));
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return Error::config(QStringLiteral("%1 is not a 64-bit little-endian ELF file").arg(path));

    ElfInfo info;
    QList<Elf64_Phdr> loads;
    std::optional<Elf64_Phdr> dynamic;
    for (int i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph;
        if (!readAt(bytes, eh.e_phoff + quint64(i) * eh.e_phentsize, ph))
            return Error::config(QStringLiteral("%1: truncated program headers").arg(path));
        if (ph.p_type == PT_LOAD)
            loads.append(ph);
        else if (ph.p_type == PT_DYNAMIC)
            dynamic = ph;
        else if (ph.p_type == PT_INTERP)
            info.interpreter = stringAt(bytes, ph.p_offset);
    }
    if (!dynamic)
        return info;   // static: needs nothing

    quint64 strtab = 0;
    QList<quint64> neededOffsets;
    quint64 runpath = 0, rpath = 0;
    bool hasRunpath = false, hasRpath = false;
    for (quint64 at = dynamic->p_offset; at + sizeof(Elf64_Dyn) <= dynamic->p_offset + dynamic->p_filesz;
         at += sizeof(Elf64_Dyn)) {
        Elf64_Dyn d;
        if (!readAt(bytes, at, d) || d.d_tag == DT_NULL)
            break;
        if (d.d_tag == DT_STRTAB)
            strtab = d.d_un.d_ptr;
        else if (d.d_tag == DT_NEEDED)
            neededOffsets.append(d.d_un.d_val);
        else if (d.d_tag == DT_RUNPATH)
            runpath = d.d_un.d_val, hasRunpath = true;
        else if (d.d_tag == DT_RPATH)
            rpath = d.d_un.d_val, hasRpath = true;
    }
    const std::optional<quint64> table = fileOffset(loads, strtab);
    if (!table)
        return Error::config(QStringLiteral("%1: the dynamic string table is not mapped").arg(path));
    for (quint64 offset : std::as_const(neededOffsets))
        info.needed.append(stringAt(bytes, *table + offset));
    if (hasRunpath || hasRpath) {
        const QString origin = QFileInfo(path).absolutePath();
        for (QString dir : stringAt(bytes, *table + (hasRunpath ? runpath : rpath)).split(u':', Qt::SkipEmptyParts)) {
            dir.replace(QStringLiteral("${ORIGIN}"), origin).replace(QStringLiteral("$ORIGIN"), origin);
            info.runPaths.append(dir);
        }
    }
    return info;
}

Result<ElfClosure> resolveElfClosure(const QStringList &roots, const QStringList &dlopened,
                                     const QStringList &systemDirectories)
{
    ElfClosure closure;
    QMap<QString, QString> found;   // soname -> path
    QList<QPair<QString, ElfInfo>> queue;
    for (const QString &root : roots) {
        Result<ElfInfo> info = readElfInfo(root);
        if (!info)
            return info.error();
        if (closure.interpreter.isEmpty())
            closure.interpreter = info->interpreter;
        queue.append({root, *info});
    }
    if (!dlopened.isEmpty())
        queue.append({QStringLiteral("dlopen()"), ElfInfo{{}, dlopened, {}}});
    const QString interpreterName = QFileInfo(closure.interpreter).fileName();
    while (!queue.isEmpty()) {
        const auto [who, info] = queue.takeFirst();
        for (const QString &soname : info.needed) {
            // The interpreter satisfies its own soname (libc needs ld-linux-x86-64.so.2).
            if (found.contains(soname) || soname == interpreterName)
                continue;
            QString path;
            for (const QString &dir : info.runPaths + systemDirectories) {
                if (QFileInfo(dir + u'/' + soname).isFile()) {
                    path = dir + u'/' + soname;
                    break;
                }
            }
            if (path.isEmpty())
                return Error::config(QStringLiteral("%1 needs %2, which is in none of %3")
                                         .arg(who, soname, (info.runPaths + systemDirectories).join(QStringLiteral(", "))));
            found.insert(soname, path);
            Result<ElfInfo> dependency = readElfInfo(path);
            if (!dependency)
                return dependency.error();
            queue.append({path, *dependency});
        }
    }
    for (auto it = found.cbegin(); it != found.cend(); ++it)
        closure.libraries.append({it.key(), it.value()});
    std::sort(closure.libraries.begin(), closure.libraries.end(),
              [](const ElfLibrary &a, const ElfLibrary &b) { return a.path < b.path; });
    return closure;
}

} // namespace Gatehouse
