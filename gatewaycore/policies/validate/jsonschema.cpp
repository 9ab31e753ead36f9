// Compiling a JSON Schema into flat nodes: keywords checked once, patterns compiled once, every
// reference resolved to a node index (a recursive schema becomes a cycle of indices).
#include "jsonschemanode.h"

#include "project/sourcedocument.h"

#include <QHash>
#include <QJsonObject>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace Gatehouse {

int SchemaNode::findProperty(const QString &name) const
{
    const auto it = std::lower_bound(properties.begin(), properties.end(), name,
                                     [](const std::pair<QString, int> &p, const QString &n) { return p.first < n; });
    return it != properties.end() && it->first == name ? it->second : -1;
}

QString SchemaProblem::toString() const
{
    return (pointer.isEmpty() ? QStringLiteral("(root)") : pointer) + QStringLiteral(": ") + message;
}

namespace {

constexpr int kMaxSchemaDepth = 200;        // nesting of the schema text itself
constexpr qint64 kMaxAnchorWalk = 500'000;  // values visited looking for anchors

// A schema's place in the document (a JSON pointer), when it is part of it.
using Place = std::optional<QString>;

class SchemaCompiler
{
public:
    SchemaCompiler(const QJsonValue &document, const JsonSchemaOptions &options)
        : m_document(document), m_options(options)
    {
        const QString id = document.toObject().value(u"$id").toString();
        m_baseId = id.section(u'#', 0, 0);
        collectAnchors(document, QString(), 0);
    }

    Result<JsonSchema> run(const QJsonValue &schema, bool schemaIsDocument, std::shared_ptr<CompiledSchema> out)
    {
        m_out = out.get();
        const int root = schemaIsDocument ? compileAt(QString()) : compile(schema, QStringLiteral("#"), 0, std::nullopt);
        if (!m_error.isEmpty())
            return Error::config(m_error);
        out->root = root;
        return Result<JsonSchema>(JsonSchema());   // replaced by the caller
    }

private:
    int fail(const QString &where, const QString &message)
    {
        if (m_error.isEmpty())
            m_error = QStringLiteral("%1: %2").arg(where.isEmpty() ? QStringLiteral("#") : where, message);
        return -1;
    }

    void collectAnchors(const QJsonValue &v, const QString &pointer, int depth)
    {
        if (depth > kMaxSchemaDepth || ++m_anchorWalk > kMaxAnchorWalk)
            return;
        if (v.isObject()) {
            const QJsonObject o = v.toObject();
            const QString anchor = o.value(u"$anchor").toString();
            if (!anchor.isEmpty() && !m_anchors.contains(anchor))
                m_anchors.insert(anchor, pointer);
            const QString dynamic = o.value(u"$dynamicAnchor").toString();
            if (!dynamic.isEmpty()) {
                if (!m_anchors.contains(dynamic))
                    m_anchors.insert(dynamic, pointer);
                if (!m_dynamicAnchors.contains(dynamic))
                    m_dynamicAnchors.insert(dynamic, pointer);
            }
            for (auto it = o.begin(); it != o.end(); ++it)
                collectAnchors(it.value(), JsonPointer::child(pointer, it.key()), depth + 1);
        } else if (v.isArray()) {
            const QJsonArray a = v.toArray();
            for (qsizetype i = 0; i < a.size(); ++i)
                collectAnchors(a.at(i), JsonPointer::child(pointer, i), depth + 1);
        }
    }

    // The node for the document's value at `pointer`, compiled once.
    int compileAt(const QString &pointer)
    {
        if (const auto it = m_byPointer.constFind(pointer); it != m_byPointer.constEnd())
            return *it;
        const auto segments = JsonPointer::split(pointer);
        if (!segments)
            return fail(pointer, QStringLiteral("malformed JSON pointer"));
        QJsonValue v = m_document;
        for (const QString &s : *segments) {
            if (v.isObject() && v.toObject().contains(s)) {
                v = v.toObject().value(s);
            } else if (v.isArray()) {
                bool ok = false;
                const qsizetype i = s.toLongLong(&ok);
                if (!ok || i < 0 || i >= v.toArray().size())
                    return fail(pointer, QStringLiteral("the reference points at nothing"));
                v = v.toArray().at(i);
            } else {
                return fail(QStringLiteral("#") + pointer, QStringLiteral("the reference points at nothing"));
            }
        }
        return compile(v, QStringLiteral("#") + pointer, 0, pointer);
    }

    int resolveRef(const QString &ref, const QString &where, bool dynamic)
    {
        QString r = ref;
        if (!m_baseId.isEmpty() && r.startsWith(m_baseId))
            r = r.mid(m_baseId.size());
        if (r.isEmpty() || r == u"#")
            return compileAt(QString());
        if (!r.startsWith(u'#'))
            return fail(where, QStringLiteral("reference '%1' names another document; only references inside the "
                                              "same document are supported").arg(ref));
        const QString fragment = QUrl::fromPercentEncoding(r.mid(1).toUtf8());
        if (fragment.startsWith(u'/'))
            return compileAt(fragment);
        const auto &table = dynamic && m_dynamicAnchors.contains(fragment) ? m_dynamicAnchors : m_anchors;
        const auto it = table.constFind(fragment);
        if (it == table.constEnd())
            return fail(where, QStringLiteral("reference '%1': no anchor '%2' in the document").arg(ref, fragment));
        return compileAt(*it);
    }

    std::optional<double> number(const QJsonObject &o, QStringView key, const QString &where, bool &ok)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return std::nullopt;
        if (!v.isDouble() || !std::isfinite(v.toDouble())) {
            fail(where, QStringLiteral("'%1' must be a number").arg(key));
            ok = false;
            return std::nullopt;
        }
        return v.toDouble();
    }

    qint64 count(const QJsonObject &o, QStringView key, const QString &where, bool &ok, qint64 fallback = -1)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return fallback;
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d < 0 || d != std::floor(d) || d > 9e15) {
            fail(where, QStringLiteral("'%1' must be a non-negative integer").arg(key));
            ok = false;
            return fallback;
        }
        return qint64(d);
    }

    int regex(const QString &pattern, const QString &where)
    {
        QRegularExpression re(pattern, QRegularExpression::DontCaptureOption);
        if (!re.isValid())
            return fail(where, QStringLiteral("pattern '%1' is not a valid regular expression: %2")
                                   .arg(pattern, re.errorString()));
        re.optimize();
        m_out->regexes.push_back(std::move(re));
        return int(m_out->regexes.size()) - 1;
    }

    // Compiles a subschema at `key` of `o` (an object member or list item); -1 on error.
    int sub(const QJsonValue &v, const QString &where, int depth, const Place &pointer)
    {
        return compile(v, where, depth + 1, pointer);
    }

    static Place childPointer(const Place &pointer, QStringView key)
    {
        return pointer ? Place(JsonPointer::child(*pointer, key)) : std::nullopt;
    }
    static Place childPointer(const Place &pointer, QStringView key, qsizetype index)
    {
        return pointer ? Place(JsonPointer::child(JsonPointer::child(*pointer, key), index)) : std::nullopt;
    }

    bool list(const QJsonObject &o, QStringView key, std::vector<int> &out, const QString &where, int depth,
              const Place &pointer)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return true;
        if (!v.isArray() || v.toArray().isEmpty()) {
            fail(where, QStringLiteral("'%1' must be a non-empty list of schemas").arg(key));
            return false;
        }
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const int n = sub(a.at(i), where + u'/' + key.toString() + u'/' + QString::number(i), depth,
                              childPointer(pointer, key, i));
            if (n < 0)
                return false;
            out.push_back(n);
        }
        return true;
    }

    int one(const QJsonObject &o, QStringView key, const QString &where, int depth, const Place &pointer)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return -1;
        return sub(v, where + u'/' + key.toString(), depth, childPointer(pointer, key));
    }

    // `pointer` is the value's place in the document (null when the schema is not part of it):
    // places in the document are compiled once, which is what makes cycles terminate.
    int compile(const QJsonValue &v, const QString &where, int depth, const Place &pointer)
    {
        if (!m_error.isEmpty())
            return -1;
        if (depth > kMaxSchemaDepth)
            return fail(where, QStringLiteral("the schema is nested deeper than %1 levels").arg(kMaxSchemaDepth));
        const int index = int(m_out->nodes.size());
        m_out->nodes.emplace_back();
        if (pointer)
            m_byPointer.insert(*pointer, index);
        SchemaNode n;
        if (v.isBool()) {
            n.kind = v.toBool() ? SchemaNode::Kind::AlwaysTrue : SchemaNode::Kind::AlwaysFalse;
        } else if (!v.isObject()) {
            return fail(where, QStringLiteral("a schema must be an object or true/false, found %1").arg(jsonTypeName(v)));
        } else if (!fill(n, v.toObject(), where, depth, pointer)) {
            return -1;
        }
        m_out->nodes[size_t(index)] = std::move(n);
        return index;
    }

    bool types(SchemaNode &n, const QJsonObject &o, const QString &where)
    {
        const QJsonValue t = o.value(u"type");
        if (t.isUndefined())
            return true;
        const QJsonArray names = t.isArray() ? t.toArray() : QJsonArray{t};
        for (const QJsonValue &name : names) {
            static const QHash<QString, quint8> bits{
                {QStringLiteral("null"), kTypeNull},       {QStringLiteral("boolean"), kTypeBoolean},
                {QStringLiteral("object"), kTypeObject},   {QStringLiteral("array"), kTypeArray},
                {QStringLiteral("number"), kTypeNumber},   {QStringLiteral("string"), kTypeString},
                {QStringLiteral("integer"), kTypeInteger},
            };
            const auto it = bits.constFind(name.toString());
            if (!name.isString() || it == bits.constEnd()) {
                fail(where, QStringLiteral("unknown type %1 (known: null, boolean, object, array, number, string, "
                                           "integer)").arg(jsonShort(name)));
                return false;
            }
            n.types |= *it;
        }
        if (m_options.dialect == SchemaDialect::OpenApi30 && o.value(u"nullable").toBool() && n.types)
            n.types |= kTypeNull;
        return true;
    }

    bool fill(SchemaNode &n, const QJsonObject &o, const QString &where, int depth, const Place &pointer)
    {
        bool ok = types(n, o, where);
        n.readOnly = o.value(u"readOnly").toBool();
        n.writeOnly = o.value(u"writeOnly").toBool();
        if (o.contains(u"format")) {
            n.formatName = o.value(u"format").toString();
            if (m_options.assertFormats)
                n.format = schemaFormatFromName(n.formatName);
        }
        if (o.contains(u"enum")) {
            if (!o.value(u"enum").isArray())
                return fail(where, QStringLiteral("'enum' must be a list")) >= 0;
            n.enumValues = o.value(u"enum").toArray();
        }
        if (o.contains(u"const"))
            n.constValue = o.value(u"const");

        // Numbers: 3.0 writes exclusive bounds as booleans beside minimum/maximum.
        n.minimum = number(o, u"minimum", where, ok);
        n.maximum = number(o, u"maximum", where, ok);
        for (const auto &[key, bound, plain] : {std::tuple{u"exclusiveMinimum", &n.exclusiveMinimum, &n.minimum},
                                               std::tuple{u"exclusiveMaximum", &n.exclusiveMaximum, &n.maximum}}) {
            const QJsonValue e = o.value(QStringView(key));
            if (e.isBool()) {
                if (e.toBool() && *plain) {
                    *bound = *plain;
                    plain->reset();
                }
            } else {
                *bound = number(o, QStringView(key), where, ok);
            }
        }
        n.multipleOf = number(o, u"multipleOf", where, ok);
        if (n.multipleOf && *n.multipleOf <= 0)
            return fail(where, QStringLiteral("'multipleOf' must be greater than 0")) >= 0;

        n.minLength = count(o, u"minLength", where, ok);
        n.maxLength = count(o, u"maxLength", where, ok);
        if (o.contains(u"pattern")) {
            if (!o.value(u"pattern").isString())
                return fail(where, QStringLiteral("'pattern' must be text")) >= 0;
            n.pattern = regex(o.value(u"pattern").toString(), where);
            ok = ok && n.pattern >= 0;
        }

        n.minItems = count(o, u"minItems", where, ok);
        n.maxItems = count(o, u"maxItems", where, ok);
        n.uniqueItems = o.value(u"uniqueItems").toBool();
        n.minContains = count(o, u"minContains", where, ok, 1);
        n.maxContains = count(o, u"maxContains", where, ok);
        n.minProperties = count(o, u"minProperties", where, ok);
        n.maxProperties = count(o, u"maxProperties", where, ok);
        if (!ok)
            return false;

        if (o.value(u"items").isArray()) {   // the draft 4-2019 tuple form
            ok = list(o, u"items", n.prefixItems, where, depth, pointer);
            n.items = one(o, u"additionalItems", where, depth, pointer);
        } else {
            ok = list(o, u"prefixItems", n.prefixItems, where, depth, pointer);
            n.items = one(o, u"items", where, depth, pointer);
        }
        n.contains = one(o, u"contains", where, depth, pointer);
        n.unevaluatedItems = one(o, u"unevaluatedItems", where, depth, pointer);

        for (const auto &[key, target] : {std::pair{u"properties", &n.properties},
                                          std::pair{u"dependentSchemas", &n.dependentSchemas}}) {
            const QJsonObject props = o.value(QStringView(key)).toObject();
            for (auto it = props.begin(); it != props.end() && ok; ++it) {
                const int c = sub(it.value(), where + u'/' + QStringView(key).toString() + u'/' + it.key(), depth,
                                  childPointer(childPointer(pointer, QStringView(key)), it.key()));
                ok = c >= 0;
                target->emplace_back(it.key(), c);
            }
        }
        std::sort(n.properties.begin(), n.properties.end());
        const QJsonObject patterns = o.value(u"patternProperties").toObject();
        for (auto it = patterns.begin(); it != patterns.end() && ok; ++it) {
            const int re = regex(it.key(), where + QStringLiteral("/patternProperties"));
            const int c = sub(it.value(), where + QStringLiteral("/patternProperties/") + it.key(), depth,
                              childPointer(childPointer(pointer, u"patternProperties"), it.key()));
            ok = re >= 0 && c >= 0;
            n.patternProperties.emplace_back(re, c);
        }
        if (!ok)
            return false;
        n.additionalProperties = one(o, u"additionalProperties", where, depth, pointer);
        n.propertyNames = one(o, u"propertyNames", where, depth, pointer);
        n.unevaluatedProperties = one(o, u"unevaluatedProperties", where, depth, pointer);
        if (n.unevaluatedProperties >= 0 || n.unevaluatedItems >= 0)
            m_out->usesUnevaluated = true;
        for (const QJsonValue &r : o.value(u"required").toArray())
            n.required.append(r.toString());
        const QJsonObject depReq = o.value(u"dependentRequired").toObject();
        for (auto it = depReq.begin(); it != depReq.end(); ++it) {
            QStringList names;
            for (const QJsonValue &r : it.value().toArray())
                names.append(r.toString());
            n.dependentRequired.emplace_back(it.key(), names);
        }

        ok = list(o, u"allOf", n.allOf, where, depth, pointer) && list(o, u"anyOf", n.anyOf, where, depth, pointer)
             && list(o, u"oneOf", n.oneOf, where, depth, pointer);
        n.notSchema = one(o, u"not", where, depth, pointer);
        n.ifSchema = one(o, u"if", where, depth, pointer);
        n.thenSchema = one(o, u"then", where, depth, pointer);
        n.elseSchema = one(o, u"else", where, depth, pointer);

        if (o.contains(u"$ref")) {
            if (!o.value(u"$ref").isString())
                return fail(where, QStringLiteral("'$ref' must be text")) >= 0;
            n.ref = resolveRef(o.value(u"$ref").toString(), where, false);
        }
        if (o.contains(u"$dynamicRef"))
            n.dynamicRef = resolveRef(o.value(u"$dynamicRef").toString(), where, true);
        return ok && m_error.isEmpty();
    }

    const QJsonValue &m_document;
    JsonSchemaOptions m_options;
    CompiledSchema *m_out = nullptr;
    QString m_baseId;
    QHash<QString, QString> m_anchors;
    QHash<QString, QString> m_dynamicAnchors;
    QHash<QString, int> m_byPointer;
    qint64 m_anchorWalk = 0;
    QString m_error;
};

} // namespace

Result<JsonSchema> JsonSchema::compile(const QJsonValue &schema, const JsonSchemaOptions &options,
                                       const QJsonValue &document)
{
    const bool standalone = document.isUndefined();
    const QJsonValue &doc = standalone ? schema : document;
    auto out = std::make_shared<CompiledSchema>();
    SchemaCompiler compiler(doc, options);
    const Result<JsonSchema> r = compiler.run(schema, standalone, out);
    if (!r)
        return r.error();
    JsonSchema s;
    s.m_d = std::move(out);
    return s;
}

int JsonSchema::nodeCount() const
{
    return m_d ? int(m_d->nodes.size()) : 0;
}

} // namespace Gatehouse
