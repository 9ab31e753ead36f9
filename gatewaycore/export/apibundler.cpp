// An API document for a bundle: self-contained, with every $ref into another file inlined.
#include "apibundler.h"

#include "project/sourcedocument.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <map>
#include <memory>

namespace Gatehouse {

namespace {

const QString kRef = QStringLiteral("$ref");

// Values under these keys are data (examples, defaults), never references (as the loader reads them).
bool isDataKeyword(QStringView key)
{
    return key == u"example" || key == u"examples" || key == u"default" || key == u"enum" || key == u"const"
           || key == u"value" || key.startsWith(u"x-");
}

bool isExternal(const QString &ref)
{
    return !ref.isEmpty() && !ref.startsWith(u'#');
}

bool hasExternalRef(const QJsonValue &value)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        return std::any_of(array.begin(), array.end(), [](const QJsonValue &v) { return hasExternalRef(v); });
    }
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == kRef ? isExternal(it.value().toString())
                             : !isDataKeyword(it.key()) && hasExternalRef(it.value()))
            return true;
    }
    return false;
}

QByteArray scalarJson(const QJsonValue &value, const QString &numberText)
{
    if (value.isDouble()) {
        static const QRegularExpression jsonNumber(QStringLiteral("^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$"));
        if (jsonNumber.match(numberText).hasMatch())
            return numberText.toUtf8();
    }
    QByteArray text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return text.mid(1, text.size() - 2);
}

class Bundler
{
public:
    Bundler(const QString &projectDir, Diagnostics &diagnostics) : m_projectDir(projectDir), m_diags(diagnostics) {}

    const SourceDocument *load(const QString &relative)
    {
        if (const auto it = m_docs.find(relative); it != m_docs.end())
            return it->second.get();
        const QString canonicalRoot = QFileInfo(m_projectDir).canonicalFilePath();
        const QFileInfo info(m_projectDir + u'/' + relative);
        QFile file(info.filePath());
        if (!info.canonicalFilePath().startsWith(canonicalRoot + u'/') || !file.open(QIODevice::ReadOnly))
            return nullptr;
        m_docs.emplace(relative, SourceDocument::parse(file.readAll(), relative, m_diags));
        return m_docs[relative].get();
    }

    bool write(const SourceDocument *doc, const QString &pointer, const QJsonValue &value, int indent,
               bool data, QByteArray &out)
    {
        const QByteArray pad(indent * 2 + 2, ' ');
        const QByteArray closePad(indent * 2, ' ');
        if (value.isArray()) {
            const QJsonArray array = value.toArray();
            if (array.isEmpty()) {
                out += "[]";
                return true;
            }
            out += "[\n";
            for (qsizetype i = 0; i < array.size(); ++i) {
                out += pad;
                if (!write(doc, JsonPointer::child(pointer, i), array.at(i), indent + 1, data, out))
                    return false;
                out += i + 1 < array.size() ? ",\n" : "\n";
            }
            out += closePad + ']';
            return true;
        }
        if (!value.isObject()) {
            out += scalarJson(value, value.isDouble() ? doc->scalarText(pointer) : QString());
            return true;
        }
        const QJsonObject object = value.toObject();
        if (!data && object.value(kRef).isString())
            return writeRef(doc, pointer, object, indent, out);
        const QStringList keys = doc->keysInSourceOrder(pointer, object);
        if (keys.isEmpty()) {
            out += "{}";
            return true;
        }
        out += "{\n";
        for (qsizetype i = 0; i < keys.size(); ++i) {
            out += pad + scalarJson(keys.at(i), {}) + ": ";
            if (!write(doc, JsonPointer::child(pointer, keys.at(i)), object.value(keys.at(i)), indent + 1,
                       data || isDataKeyword(keys.at(i)), out))
                return false;
            out += i + 1 < keys.size() ? ",\n" : "\n";
        }
        out += closePad + '}';
        return true;
    }

    void setMain(const SourceDocument *main) { m_main = main; }

private:
    bool writeRef(const SourceDocument *doc, const QString &pointer, const QJsonObject &object, int indent,
                  QByteArray &out)
    {
        const QString ref = object.value(kRef).toString();
        const qsizetype hash = ref.indexOf(u'#');
        const QString filePart = QUrl::fromPercentEncoding(ref.left(hash < 0 ? ref.size() : hash).toUtf8());
        const QString fragment = hash < 0 ? QString() : QUrl::fromPercentEncoding(ref.mid(hash + 1).toUtf8());
        const SourceLocation where = doc->locateKey(JsonPointer::child(pointer, kRef));
        const SourceDocument *target = doc;
        if (!filePart.isEmpty()) {
            const QString dir = QFileInfo(doc->displayPath()).path();
            target = load(QDir::cleanPath(dir == u"." ? filePart : dir + u'/' + filePart));
        }
        if (!target) {
            m_diags.error(where, QStringLiteral("cannot inline $ref '%1': the file cannot be read").arg(ref));
            return false;
        }
        if (target == m_main) {
            // A reference into the main document stays a reference, written as a local one.
            out += "{\n" + QByteArray(indent * 2 + 2, ' ') + "\"$ref\": "
                   + scalarJson(QString(u'#' + fragment), {}) + '\n' + QByteArray(indent * 2, ' ') + '}';
            return true;
        }
        QJsonValue value = target->root();
        for (const QString &segment : JsonPointer::split(fragment).value_or(QStringList()))
            value = value.isArray() ? value.toArray().at(segment.toInt()) : value.toObject().value(segment);
        if (value.isUndefined()) {
            m_diags.error(where, QStringLiteral("cannot inline $ref '%1': it names nothing").arg(ref));
            return false;
        }
        const QString key = target->displayPath() + u'#' + fragment;
        if (m_stack.contains(key)) {
            m_diags.error(where, QStringLiteral("cannot inline $ref '%1': it leads back to itself through other "
                                                "files; move the recursive schema into %2 under components")
                                     .arg(ref, m_main->displayPath()));
            return false;
        }
        m_stack.append(key);
        const bool ok = write(target, fragment, value, indent, false, out);
        m_stack.removeLast();
        return ok;
    }

    QString m_projectDir;
    Diagnostics &m_diags;
    const SourceDocument *m_main = nullptr;
    std::map<QString, std::shared_ptr<const SourceDocument>> m_docs;
    QStringList m_stack;
};

} // namespace

Result<QByteArray> bundleApiDocument(const QString &projectDir, const QString &relativePath,
                                     Diagnostics &diagnostics)
{
    QFile file(projectDir + u'/' + relativePath);
    if (!file.open(QIODevice::ReadOnly))
        return Error::io(QStringLiteral("cannot read %1: %2").arg(relativePath, file.errorString()));
    const QByteArray bytes = file.readAll();
    Bundler bundler(projectDir, diagnostics);
    const SourceDocument *main = bundler.load(relativePath);
    if (!main)
        return Error::config(QStringLiteral("%1 is not valid YAML or JSON").arg(relativePath));
    if (!hasExternalRef(main->root()))
        return bytes;
    bundler.setMain(main);
    QByteArray out;
    if (!bundler.write(main, QString(), main->root(), 0, false, out))
        return Error::config(QStringLiteral("%1 cannot be made self-contained").arg(relativePath));
    return out + '\n';
}

} // namespace Gatehouse
