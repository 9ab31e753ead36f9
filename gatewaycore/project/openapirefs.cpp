// $ref resolution for the OpenAPI loader: local and relative-file refs, chains, cycles (internal).
#include "openapirefs.h"

#include "base/textutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QUrl>

namespace Gatehouse::OpenApi {

namespace {

constexpr qint64 kMaxReferencedFileBytes = 16 * 1024 * 1024;
constexpr int kMaxChainLength = 32;
constexpr int kMaxSchemaDepth = 100;
constexpr int kMaxSweepDepth = 220;

const QString kRef = QStringLiteral("$ref");

// Values under these keys are data (examples, defaults), never references to follow.
bool isDataKeyword(QStringView key)
{
    return key == u"example" || key == u"default" || key == u"enum" || key == u"const"
           || key == u"value" || key.startsWith(u"x-");
}

// Schema keywords whose members are names chosen by the author, each mapping to a schema.
bool isNamesMapKeyword(QStringView key)
{
    return key == u"properties" || key == u"patternProperties" || key == u"$defs"
           || key == u"definitions" || key == u"dependentSchemas";
}

// "https://x/y.json", "urn:x", "file:/etc/passwd": anything with a URI scheme is remote to us.
bool hasUriScheme(QStringView ref)
{
    if (ref.isEmpty() || !ref.front().isLetter())
        return false;
    for (qsizetype i = 1; i < ref.size(); ++i) {
        const QChar c = ref[i];
        if (c == u':')
            return true;
        if (!(c.isLetterOrNumber() || c == u'+' || c == u'-' || c == u'.'))
            return false;
    }
    return false;
}

QString decodePercent(QStringView text)
{
    if (!text.contains(u'%'))
        return text.toString();
    return QUrl::fromPercentEncoding(text.toUtf8());
}

QString encodeFragment(const QString &pointer)
{
    QString out;
    out.reserve(pointer.size());
    for (QChar c : pointer) {
        if (c == u'%')
            out += QStringLiteral("%25");
        else if (c == u' ')
            out += QStringLiteral("%20");
        else if (c == u'#')
            out += QStringLiteral("%23");
        else
            out += c;
    }
    return out;
}

QString directoryOf(const QString &relativePath)
{
    const qsizetype slash = relativePath.lastIndexOf(u'/');
    return slash < 0 ? QString() : relativePath.left(slash);
}

} // namespace

// ---- Node ----------------------------------------------------------------------------------

Node Node::operator[](QStringView key) const
{
    return {doc, JsonPointer::child(pointer, key), value.toObject().value(key)};
}

Node Node::operator[](qsizetype index) const
{
    const QJsonArray a = value.toArray();
    return {doc, JsonPointer::child(pointer, index),
            index >= 0 && index < a.size() ? a.at(index) : QJsonValue(QJsonValue::Undefined)};
}

QStringList Node::keys() const
{
    const QJsonObject o = value.toObject();
    return doc ? doc->keysInSourceOrder(pointer, o) : o.keys();
}

SourceLocation Node::location() const
{
    return doc ? doc->locate(pointer) : SourceLocation{};
}

SourceLocation Node::keyLocation() const
{
    return doc ? doc->locateKey(pointer) : SourceLocation{};
}

QString describeRef(const Node &refObject)
{
    return refObject.value.toObject().value(kRef).toString();
}

// ---- Documents -----------------------------------------------------------------------------

Documents::Documents(const QString &projectDir, const QString &mainRelativePath,
                     std::shared_ptr<const SourceDocument> main)
    : m_projectDir(projectDir), m_mainPath(QDir::cleanPath(mainRelativePath)), m_main(std::move(main))
{
    if (!projectDir.isEmpty())
        m_canonicalProjectDir = QFileInfo(projectDir).canonicalFilePath();
}

QString Documents::relativePath(const SourceDocument *doc) const
{
    return doc ? doc->displayPath() : QString();
}

const SourceDocument *Documents::load(const QString &projectRelative, Diagnostics &diagnostics,
                                      QString *why)
{
    if (projectRelative == m_mainPath)
        return m_main.get();
    if (const auto it = m_files.find(projectRelative); it != m_files.end())
        return it->second.get();
    if (const auto it = m_failures.constFind(projectRelative); it != m_failures.constEnd()) {
        *why = *it;
        return nullptr;
    }
    auto fail = [&](const QString &reason) -> const SourceDocument * {
        m_failures.insert(projectRelative, reason);
        *why = reason;
        return nullptr;
    };
    const QString suffix = QFileInfo(projectRelative).suffix().toLower();
    if (suffix != u"yaml" && suffix != u"yml" && suffix != u"json")
        return fail(QStringLiteral("only .yaml, .yml and .json files can be referenced"));
    if (m_canonicalProjectDir.isEmpty())
        return fail(QStringLiteral("file '%1' does not exist").arg(projectRelative));
    const QFileInfo info(m_projectDir + u'/' + projectRelative);
    if (!info.exists())
        return fail(QStringLiteral("file '%1' does not exist").arg(projectRelative));
    if (!info.isFile())
        return fail(QStringLiteral("'%1' is not a file").arg(projectRelative));
    // A symbolic link may lead out of the project even when the written path does not.
    if (!info.canonicalFilePath().startsWith(m_canonicalProjectDir + u'/'))
        return fail(QStringLiteral("'%1' leads outside the project directory").arg(projectRelative));
    if (info.size() > kMaxReferencedFileBytes)
        return fail(QStringLiteral("'%1' is larger than 16 MiB").arg(projectRelative));
    QFile file(info.filePath());
    if (!file.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read '%1': %2").arg(projectRelative, file.errorString()));
    std::shared_ptr<const SourceDocument> doc = SourceDocument::parse(file.readAll(), projectRelative,
                                                                      diagnostics);
    if (!doc)
        return fail(QStringLiteral("'%1' is not valid YAML or JSON").arg(projectRelative));
    const SourceDocument *raw = doc.get();
    m_files.emplace(projectRelative, std::move(doc));
    return raw;
}

// ---- RefResolver ---------------------------------------------------------------------------

struct RefResolver::PathLink
{
    const PathLink *parent = nullptr;
    QString base;          // the root link's pointer
    QStringView key;       // member name, or empty with index >= 0
    qsizetype index = -1;

    QString toPointer() const
    {
        QList<const PathLink *> chain;
        for (const PathLink *l = this; l; l = l->parent)
            chain.prepend(l);
        QString out = chain.front()->base;
        for (qsizetype i = 1; i < chain.size(); ++i) {
            out = chain[i]->index >= 0 ? JsonPointer::child(out, chain[i]->index)
                                       : JsonPointer::child(out, chain[i]->key);
        }
        return out;
    }
};

QString RefResolver::Target::key() const
{
    return (doc ? doc->displayPath() : QString()) + u'#' + pointer;
}

RefResolver::RefResolver(Documents &documents, Diagnostics &diagnostics, OpenApiVersion version,
                         WorkBudget &budget)
    : m_docs(documents), m_diags(diagnostics), m_version(version), m_budget(budget)
{}

bool RefResolver::reportOnce(const Node &refObject)
{
    const QString key = (refObject.doc ? refObject.doc->displayPath() : QString()) + u'#'
                        + refObject.pointer;
    if (m_reported.contains(key))
        return false;
    m_reported.insert(key);
    return true;
}

std::optional<RefResolver::Target> RefResolver::resolveOne(const Node &refObject, bool inSchema)
{
    const Node refNode = refObject[kRef];
    auto fail = [&](Severity severity, const QString &message) -> std::optional<Target> {
        if (reportOnce(refObject))
            m_diags.add({severity, refNode.keyLocation(), message});
        return std::nullopt;
    };
    if (!refNode.value.isString())
        return fail(Severity::Error, QStringLiteral("$ref must be a string, found %1")
                                         .arg(jsonKindName(refNode.value)));
    const QString ref = refNode.value.toString();
    if (ref.trimmed().isEmpty())
        return fail(Severity::Error, QStringLiteral("$ref is empty"));
    if (hasUriScheme(ref)) {
        return fail(Severity::Warning,
                    QStringLiteral("remote $ref '%1' is not followed: Gatehouse reads only files inside "
                                   "the project; save the document into the project and refer to it "
                                   "by a relative path")
                        .arg(ref));
    }
    const qsizetype hash = ref.indexOf(u'#');
    const QString filePart = decodePercent(hash < 0 ? QStringView(ref) : QStringView(ref).left(hash));
    const QString fragment = hash < 0 ? QString() : decodePercent(QStringView(ref).mid(hash + 1));

    const SourceDocument *doc = refObject.doc;
    if (!filePart.isEmpty()) {
        if (filePart.startsWith(u'/') || filePart.startsWith(u'\\'))
            return fail(Severity::Error, QStringLiteral("$ref '%1' uses an absolute path; write the "
                                                        "path relative to this file")
                                             .arg(ref));
        const QString dir = directoryOf(m_docs.relativePath(refObject.doc));
        const QString path = QDir::cleanPath(dir.isEmpty() ? filePart : dir + u'/' + filePart);
        if (path == u".." || path.startsWith(u"../"))
            return fail(Severity::Error, QStringLiteral("$ref '%1' points outside the project "
                                                        "directory; only files inside the project "
                                                        "can be referenced")
                                             .arg(ref));
        QString why;
        doc = m_docs.load(path, m_diags, &why);
        if (!doc)
            return fail(Severity::Error, QStringLiteral("cannot resolve $ref '%1': %2").arg(ref, why));
    }
    if (!fragment.isEmpty() && !fragment.startsWith(u'/')) {
        if (inSchema)
            return fail(Severity::Warning, QStringLiteral("$ref '%1' names a schema anchor; anchors are "
                                                          "not followed and the reference is kept as "
                                                          "written")
                                               .arg(ref));
        return fail(Severity::Error, QStringLiteral("cannot resolve $ref '%1': the part after '#' must "
                                                    "be a JSON pointer such as '#/components/schemas/Pet'")
                                         .arg(ref));
    }
    const std::optional<QStringList> segments = JsonPointer::split(fragment);
    if (!segments)
        return fail(Severity::Error, QStringLiteral("cannot resolve $ref '%1': in a JSON pointer '~' must "
                                                    "be followed by 0 (for '~') or 1 (for '/')")
                                         .arg(ref));
    QJsonValue current = doc->root();
    QString pointer;
    for (const QString &segment : *segments) {
        const QString place = !pointer.isEmpty() ? QStringLiteral("'%1'").arg(pointer)
                              : doc == refObject.doc ? QStringLiteral("the document root")
                                                     : QStringLiteral("'%1'").arg(doc->displayPath());
        if (current.isObject()) {
            const QJsonObject o = current.toObject();
            if (!o.contains(segment)) {
                return fail(Severity::Error, QStringLiteral("cannot resolve $ref '%1': there is no '%2' "
                                                            "in %3%4")
                                                 .arg(ref, segment, place, didYouMean(segment, o.keys())));
            }
            current = o.value(segment);
        } else if (current.isArray()) {
            bool ok = false;
            const qsizetype index = segment.toLongLong(&ok);
            const QJsonArray a = current.toArray();
            if (!ok || index < 0 || index >= a.size())
                return fail(Severity::Error, QStringLiteral("cannot resolve $ref '%1': the list %2 has "
                                                            "no item '%3'")
                                                 .arg(ref, place, segment));
            current = a.at(index);
        } else {
            return fail(Severity::Error, QStringLiteral("cannot resolve $ref '%1': %2 is %3, not a map")
                                             .arg(ref, place, jsonKindName(current)));
        }
        pointer = JsonPointer::child(pointer, segment);
    }
    return Target{doc, pointer, current};
}

std::optional<RefResolver::Target> RefResolver::followChain(const Node &refObject, bool inSchema)
{
    Node current = refObject;
    QStringList seen;
    QStringList written;
    for (;;) {
        std::optional<Target> target = resolveOne(current, inSchema);
        if (!target)
            return std::nullopt;
        written.append(u'\'' + describeRef(current) + u'\'');
        if (seen.contains(target->key()) || seen.size() >= kMaxChainLength) {
            // One report per loop, however many $refs lead into it.
            QStringList loop = seen.mid(std::max<qsizetype>(0, seen.indexOf(target->key())));
            loop.sort();
            const bool newLoop = !m_reportedCycles.contains(loop.join(u'|'));
            m_reportedCycles.insert(loop.join(u'|'));
            if (reportOnce(refObject) && newLoop) {
                m_diags.error(refObject[kRef].keyLocation(),
                              QStringLiteral("circular $ref: %1 lead back to each other and name no "
                                             "object")
                                  .arg(written.join(QStringLiteral(" -> "))));
            }
            return std::nullopt;
        }
        seen.append(target->key());
        if (!target->value.isObject() || !target->value.toObject().value(kRef).isString())
            return target;
        current = Node{target->doc, target->pointer, target->value};
    }
}

Node RefResolver::deref(const Node &node)
{
    if (!node.value.isObject() || !node.value.toObject().contains(kRef))
        return node;
    const std::optional<Target> target = followChain(node, false);
    if (!target)
        return Node{};
    return Node{target->doc, target->pointer, target->value};
}

QString RefResolver::refFromMain(const Target &target) const
{
    const QString fragment = u'#' + encodeFragment(target.pointer);
    if (target.doc == m_docs.main())
        return fragment;
    const QString mainDir = directoryOf(m_docs.relativePath(m_docs.main()));
    const QString relative = QDir(u'/' + mainDir).relativeFilePath(u'/' + m_docs.relativePath(target.doc));
    return relative + fragment;
}

QJsonValue RefResolver::inlineSchema(const Node &schema)
{
    if (!schema.isValid())
        return schema.value;
    PathLink root;
    root.base = schema.pointer;
    return inlineValue(schema.doc, root, schema.value, 0, false).value;
}

RefResolver::Inlined RefResolver::inlineRef(const SourceDocument *doc, const PathLink &path,
                                            const QJsonObject &object, int depth)
{
    const Node refNode{doc, path.toPointer(), object};
    const std::optional<Target> target = followChain(refNode, true);
    if (!target)
        return {object, false};
    const QString key = target->key();
    if (m_schemaStack.contains(key)) {
        // A recursive schema: keep the reference that closes the loop, readable from the main file.
        QJsonObject kept = object;
        const QString ref = refFromMain(*target);
        const bool changed = kept.value(kRef).toString() != ref;
        kept.insert(kRef, ref);
        return {kept, changed};
    }
    QJsonValue resolved;
    if (const auto memo = m_schemaMemo.constFind(key); memo != m_schemaMemo.constEnd()) {
        resolved = *memo;
    } else {
        m_schemaStack.append(key);
        PathLink targetPath;
        targetPath.base = target->pointer;
        resolved = inlineValue(target->doc, targetPath, target->value, depth + 1, false).value;
        m_schemaStack.removeLast();
        m_schemaMemo.insert(key, resolved);
    }
    if (object.size() > 1 && m_version == OpenApiVersion::OpenApi31) {
        // JSON Schema 2020-12 applies $ref next to its siblings: the same as an allOf.
        QJsonObject siblings = object;
        siblings.remove(kRef);
        siblings = inlineValue(doc, path, siblings, depth + 1, false).value.toObject();
        QJsonArray allOf = siblings.value(QStringLiteral("allOf")).toArray();
        allOf.prepend(resolved);
        siblings.insert(QStringLiteral("allOf"), allOf);
        return {siblings, true};
    }
    return {resolved, true};   // OpenAPI 2.0 and 3.0 ignore the siblings of $ref
}

RefResolver::Inlined RefResolver::inlineValue(const SourceDocument *doc, const PathLink &path,
                                              const QJsonValue &value, int depth, bool namesMap)
{
    if (depth > kMaxSchemaDepth || !m_budget.spend())
        return {value, false};
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        QJsonArray out;
        bool changed = false;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonValue item = array.at(i);
            if (!item.isObject() && !item.isArray())
                continue;
            PathLink link{&path, {}, {}, i};
            const Inlined r = inlineValue(doc, link, item, depth + 1, false);
            if (r.changed) {
                if (!changed)
                    out = array;
                changed = true;
                out.replace(i, r.value);
            }
        }
        return {changed ? QJsonValue(out) : value, changed};
    }
    if (!value.isObject())
        return {value, false};
    const QJsonObject object = value.toObject();
    if (!namesMap && object.value(kRef).isString())
        return inlineRef(doc, path, object, depth);
    QJsonObject out;
    bool changed = false;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        if (!namesMap && isDataKeyword(key))
            continue;
        const QJsonValue child = it.value();
        if (!child.isObject() && !child.isArray())
            continue;
        PathLink link{&path, {}, key, -1};
        const Inlined r = inlineValue(doc, link, child, depth + 1, !namesMap && isNamesMapKeyword(key));
        if (r.changed) {
            if (!changed)
                out = object;
            changed = true;
            out.insert(key, r.value);
        }
    }
    return {changed ? QJsonValue(out) : value, changed};
}

void RefResolver::checkAllRefs()
{
    PathLink root;
    sweep(root, m_docs.main()->root(), 0);
}

void RefResolver::sweep(const PathLink &path, const QJsonValue &value, int depth)
{
    if (depth > kMaxSweepDepth || !m_budget.spend())
        return;
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonValue item = array.at(i);
            if (item.isObject() || item.isArray())
                sweep(PathLink{&path, {}, {}, i}, item, depth + 1);
        }
        return;
    }
    const QJsonObject object = value.toObject();
    if (object.value(kRef).isString())
        followChain(Node{m_docs.main(), path.toPointer(), object}, true);
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString key = it.key();
        const QJsonValue child = it.value();
        if (isDataKeyword(key) || (!child.isObject() && !child.isArray()))
            continue;
        sweep(PathLink{&path, {}, key, -1}, child, depth + 1);
    }
}

} // namespace Gatehouse::OpenApi
