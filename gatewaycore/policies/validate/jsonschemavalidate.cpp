// Validating an instance against compiled schema nodes: problems as JSON pointers, bounded work,
// and the evaluated-property/item annotations unevaluatedProperties/Items need (only collected
// when the schema uses them).
#include "jsonschemanode.h"

#include "project/sourcedocument.h"

#include <QJsonObject>
#include <QSet>

#include <cmath>

namespace Gatehouse {

namespace {

constexpr int kMaxSchemaStack = 512;   // nested schema evaluations at one place ($ref loops)

// The instance location, joined into a pointer only when a problem is reported.
struct Path
{
    const Path *parent = nullptr;
    const QString *key = nullptr;
    qsizetype index = -1;

    QString pointer() const
    {
        if (!parent)
            return QString();
        const QString base = parent->pointer();
        return key ? JsonPointer::child(base, *key) : JsonPointer::child(base, index);
    }
};

struct Annotations
{
    QSet<QString> properties;
    qsizetype itemsUpTo = 0;   // items [0, itemsUpTo) were evaluated
    QSet<qsizetype> items;     // single items evaluated (contains)

    void merge(const Annotations &o)
    {
        properties.unite(o.properties);
        itemsUpTo = qMax(itemsUpTo, o.itemsUpTo);
        items.unite(o.items);
    }
};

class Evaluator
{
public:
    Evaluator(const CompiledSchema &s, const JsonSchemaLimits &limits, SchemaDirection direction)
        : m_s(s), m_limits(limits), m_direction(direction)
    {}

    bool run(const QJsonValue &instance, QList<SchemaProblem> *problems)
    {
        m_sink = problems;
        m_cap = problems ? qMax(1, m_limits.maxProblems) : 0;
        const Path root;
        Annotations ann;
        bool ok = node(m_s.root, instance, root, 0, m_s.usesUnevaluated ? &ann : nullptr);
        if (m_stopped) {
            ok = false;
            if (problems && problems->size() < m_cap)
                problems->append({QString(), m_stopReason});
        }
        return ok;
    }

private:
    bool wantMore() const { return m_sink && m_sink->size() < m_cap && !m_stopped; }

    bool fail(const Path &path, const QString &message)
    {
        if (wantMore())
            m_sink->append({path.pointer(), message});
        return false;
    }

    void stop(const QString &reason)
    {
        if (!m_stopped) {
            m_stopped = true;
            m_stopReason = reason;
        }
    }

    // Evaluates `index` on a trial (anyOf/oneOf/not/if/contains): its problems go to `trial`
    // (at most one), not to the caller.
    bool attempt(int index, const QJsonValue &v, const Path &path, int depth, Annotations *ann,
                 QList<SchemaProblem> *trial)
    {
        QList<SchemaProblem> *savedSink = m_sink;
        const int savedCap = m_cap;
        m_sink = trial;
        m_cap = trial ? 1 : 0;
        const bool ok = node(index, v, path, depth, ann);
        m_sink = savedSink;
        m_cap = savedCap;
        return ok;
    }

    bool child(int index, const QJsonValue &v, const Path &path, int depth, Annotations *ann)
    {
        if (depth + 1 > m_limits.maxDepth) {
            stop(QStringLiteral("the document is nested deeper than %1 levels").arg(m_limits.maxDepth));
            return false;
        }
        return node(index, v, path, depth + 1, ann);
    }

    bool node(int index, const QJsonValue &v, const Path &path, int depth, Annotations *ann)
    {
        const SchemaNode &n = m_s.nodes[size_t(index)];
        if (n.kind == SchemaNode::Kind::AlwaysTrue)
            return true;
        if (n.kind == SchemaNode::Kind::AlwaysFalse)
            return fail(path, QStringLiteral("no value is allowed here"));
        if (m_stopped)
            return false;
        if (++m_steps > m_limits.maxSteps) {
            stop(QStringLiteral("validation stopped after %1 steps: the document is too complex").arg(m_limits.maxSteps));
            return false;
        }
        if (m_stack >= kMaxSchemaStack) {
            stop(QStringLiteral("the schema refers to itself without consuming the document"));
            return false;
        }
        ++m_stack;
        Annotations own;
        const bool needOwn = n.unevaluatedProperties >= 0 || n.unevaluatedItems >= 0;
        Annotations *a = needOwn ? &own : ann;
        const bool ok = evaluate(n, v, path, depth, a);
        --m_stack;
        if (ok && needOwn && ann)
            ann->merge(own);
        return ok;
    }

    bool evaluate(const SchemaNode &n, const QJsonValue &v, const Path &path, int depth, Annotations *a)
    {
        if (n.types && !schemaTypeMatches(n.types, v))
            return fail(path, QStringLiteral("expected %1, got %2").arg(schemaTypeList(n.types), jsonTypeName(v)));
        bool ok = true;
        auto check = [&](bool passed) {
            ok = ok && passed;
            return passed || wantMore();   // keep looking for more problems?
        };
        if (n.enumValues) {
            bool found = false;
            for (const QJsonValue &e : *n.enumValues)
                found = found || jsonEquals(e, v);
            if (!found) {
                QStringList shown;
                for (qsizetype i = 0; i < n.enumValues->size() && i < 8; ++i)
                    shown.append(jsonShort(n.enumValues->at(i)));
                if (n.enumValues->size() > 8)
                    shown.append(QStringLiteral("..."));
                if (!check(fail(path, QStringLiteral("%1 is not one of %2").arg(jsonShort(v), shown.join(QStringLiteral(", "))))))
                    return false;
            }
        }
        if (n.constValue && !jsonEquals(*n.constValue, v)
            && !check(fail(path, QStringLiteral("must be %1, got %2").arg(jsonShort(*n.constValue), jsonShort(v)))))
            return false;
        if (n.format != SchemaFormat::None && !checkFormat(n.format, v)
            && !check(fail(path, QStringLiteral("%1 is not a valid %2").arg(jsonShort(v), n.formatName))))
            return false;

        switch (v.type()) {
        case QJsonValue::Double: if (!numberKeywords(n, v.toDouble(), path, check)) return false; break;
        case QJsonValue::String: if (!stringKeywords(n, v.toString(), path, check)) return false; break;
        case QJsonValue::Array: if (!arrayKeywords(n, v.toArray(), path, depth, a, check)) return false; break;
        case QJsonValue::Object: if (!objectKeywords(n, v.toObject(), path, depth, a, check)) return false; break;
        default: break;
        }

        if (n.ref >= 0 && !check(node(n.ref, v, path, depth, a)))
            return false;
        if (n.dynamicRef >= 0 && !check(node(n.dynamicRef, v, path, depth, a)))
            return false;
        for (int s : n.allOf) {
            if (!check(node(s, v, path, depth, a)))
                return false;
        }
        if (!n.anyOf.empty() && !check(alternatives(n.anyOf, false, v, path, depth, a)))
            return false;
        if (!n.oneOf.empty() && !check(alternatives(n.oneOf, true, v, path, depth, a)))
            return false;
        if (n.notSchema >= 0 && attempt(n.notSchema, v, path, depth, nullptr, nullptr)
            && !check(fail(path, QStringLiteral("must not match the schema under 'not'"))))
            return false;
        if (n.ifSchema >= 0) {
            Annotations trial;
            const bool cond = attempt(n.ifSchema, v, path, depth, a ? &trial : nullptr, nullptr);
            if (cond && a)
                a->merge(trial);
            const int branch = cond ? n.thenSchema : n.elseSchema;
            if (branch >= 0 && !check(node(branch, v, path, depth, a)))
                return false;
        }
        for (const auto &[name, s] : n.dependentSchemas) {
            if (v.isObject() && v.toObject().contains(name) && !check(node(s, v, path, depth, a)))
                return false;
        }
        // Last: what no other keyword of this schema evaluated.
        if (n.unevaluatedProperties >= 0 && v.isObject() && !unevaluatedProperties(n, v.toObject(), path, depth, a, check))
            return false;
        if (n.unevaluatedItems >= 0 && v.isArray()) {
            const QJsonArray arr = v.toArray();
            for (qsizetype i = a->itemsUpTo; i < arr.size(); ++i) {
                if (a->items.contains(i))
                    continue;
                const Path p{&path, nullptr, i};
                if (!check(child(n.unevaluatedItems, arr.at(i), p, depth, nullptr)))
                    return false;
            }
            a->itemsUpTo = arr.size();
        }
        return ok;
    }

    template<typename Check>
    bool numberKeywords(const SchemaNode &n, double d, const Path &path, Check &check)
    {
        if (!std::isfinite(d))
            return check(fail(path, QStringLiteral("the number is out of range")));
        auto num = [](double x) { return QString::number(x, 'g', 17); };
        if (n.minimum && d < *n.minimum && !check(fail(path, QStringLiteral("%1 is less than the minimum %2").arg(num(d), num(*n.minimum)))))
            return false;
        if (n.maximum && d > *n.maximum && !check(fail(path, QStringLiteral("%1 is greater than the maximum %2").arg(num(d), num(*n.maximum)))))
            return false;
        if (n.exclusiveMinimum && d <= *n.exclusiveMinimum
            && !check(fail(path, QStringLiteral("%1 must be greater than %2").arg(num(d), num(*n.exclusiveMinimum)))))
            return false;
        if (n.exclusiveMaximum && d >= *n.exclusiveMaximum
            && !check(fail(path, QStringLiteral("%1 must be less than %2").arg(num(d), num(*n.exclusiveMaximum)))))
            return false;
        if (n.multipleOf) {
            const double q = d / *n.multipleOf;
            const bool whole = std::isfinite(q) && std::fabs(q - std::round(q)) <= 1e-9 * qMax(1.0, std::fabs(q));
            if (!whole && !check(fail(path, QStringLiteral("%1 is not a multiple of %2").arg(num(d), num(*n.multipleOf)))))
                return false;
        }
        return true;
    }

    template<typename Check>
    bool stringKeywords(const SchemaNode &n, const QString &s, const Path &path, Check &check)
    {
        if (n.minLength >= 0 || n.maxLength >= 0) {
            const qsizetype len = codePointCount(s);
            if (n.minLength >= 0 && len < n.minLength
                && !check(fail(path, QStringLiteral("text of %1 characters is shorter than the minimum %2").arg(len).arg(n.minLength))))
                return false;
            if (n.maxLength >= 0 && len > n.maxLength
                && !check(fail(path, QStringLiteral("text of %1 characters is longer than the maximum %2").arg(len).arg(n.maxLength))))
                return false;
        }
        if (n.pattern >= 0 && !m_s.regexes[size_t(n.pattern)].match(s).hasMatch()
            && !check(fail(path, QStringLiteral("%1 does not match the pattern '%2'")
                                     .arg(jsonShort(s), m_s.regexes[size_t(n.pattern)].pattern()))))
            return false;
        return true;
    }

    template<typename Check>
    bool arrayKeywords(const SchemaNode &n, const QJsonArray &arr, const Path &path, int depth, Annotations *a,
                       Check &check)
    {
        const qsizetype size = arr.size();
        if (n.minItems >= 0 && size < n.minItems
            && !check(fail(path, QStringLiteral("%1 items are fewer than the minimum %2").arg(size).arg(n.minItems))))
            return false;
        if (n.maxItems >= 0 && size > n.maxItems
            && !check(fail(path, QStringLiteral("%1 items are more than the maximum %2").arg(size).arg(n.maxItems))))
            return false;
        if (n.uniqueItems) {
            m_steps += size;
            QHash<QByteArray, qsizetype> seen;
            for (qsizetype i = 0; i < size; ++i) {
                const auto prev = seen.constFind(jsonCanonicalKey(arr.at(i)));
                if (prev != seen.constEnd()) {
                    if (!check(fail(path, QStringLiteral("items %1 and %2 are equal; items must be unique").arg(*prev).arg(i))))
                        return false;
                    break;
                }
                seen.insert(jsonCanonicalKey(arr.at(i)), i);
            }
        }
        const qsizetype prefix = qMin(size, qsizetype(n.prefixItems.size()));
        for (qsizetype i = 0; i < prefix; ++i) {
            const Path p{&path, nullptr, i};
            if (!check(child(n.prefixItems[size_t(i)], arr.at(i), p, depth, nullptr)))
                return false;
        }
        if (a)
            a->itemsUpTo = qMax(a->itemsUpTo, prefix);
        if (n.items >= 0) {
            for (qsizetype i = prefix; i < size; ++i) {
                const Path p{&path, nullptr, i};
                if (!check(child(n.items, arr.at(i), p, depth, nullptr)))
                    return false;
            }
            if (a)
                a->itemsUpTo = size;
        }
        if (n.contains >= 0) {
            qsizetype matches = 0;
            for (qsizetype i = 0; i < size; ++i) {
                const Path p{&path, nullptr, i};
                if (depth + 1 <= m_limits.maxDepth && attempt(n.contains, arr.at(i), p, depth + 1, nullptr, nullptr)) {
                    ++matches;
                    if (a)
                        a->items.insert(i);
                }
            }
            if (matches < n.minContains
                && !check(fail(path, QStringLiteral("%1 items match 'contains', at least %2 must").arg(matches).arg(n.minContains))))
                return false;
            if (n.maxContains >= 0 && matches > n.maxContains
                && !check(fail(path, QStringLiteral("%1 items match 'contains', at most %2 may").arg(matches).arg(n.maxContains))))
                return false;
        }
        return true;
    }

    bool exempt(const SchemaNode &n, const QString &name) const
    {
        if (m_direction == SchemaDirection::Any)
            return false;
        const int p = n.findProperty(name);
        if (p < 0)
            return false;
        const SchemaNode &prop = m_s.nodes[size_t(p)];
        return m_direction == SchemaDirection::Request ? prop.readOnly : prop.writeOnly;
    }

    template<typename Check>
    bool objectKeywords(const SchemaNode &n, const QJsonObject &o, const Path &path, int depth, Annotations *a,
                        Check &check)
    {
        const qsizetype size = o.size();
        if (n.minProperties >= 0 && size < n.minProperties
            && !check(fail(path, QStringLiteral("%1 properties are fewer than the minimum %2").arg(size).arg(n.minProperties))))
            return false;
        if (n.maxProperties >= 0 && size > n.maxProperties
            && !check(fail(path, QStringLiteral("%1 properties are more than the maximum %2").arg(size).arg(n.maxProperties))))
            return false;
        for (const QString &name : n.required) {
            if (!o.contains(name) && !exempt(n, name)
                && !check(fail(path, QStringLiteral("required property '%1' is missing").arg(name))))
                return false;
        }
        for (const auto &[name, names] : n.dependentRequired) {
            if (!o.contains(name))
                continue;
            for (const QString &needed : names) {
                if (!o.contains(needed)
                    && !check(fail(path, QStringLiteral("property '%1' is required when '%2' is present").arg(needed, name))))
                    return false;
            }
        }
        const bool members = !n.properties.empty() || !n.patternProperties.empty() || n.additionalProperties >= 0
                             || n.propertyNames >= 0;
        if (!members)
            return true;
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString key = it.key();
            const Path p{&path, &key, -1};
            bool matched = false;
            if (n.propertyNames >= 0 && !check(node(n.propertyNames, QJsonValue(key), p, depth, nullptr)))
                return false;
            if (const int s = n.findProperty(key); s >= 0) {
                matched = true;
                if (!check(child(s, it.value(), p, depth, nullptr)))
                    return false;
            }
            for (const auto &[re, s] : n.patternProperties) {
                if (m_s.regexes[size_t(re)].match(key).hasMatch()) {
                    matched = true;
                    if (!check(child(s, it.value(), p, depth, nullptr)))
                        return false;
                }
            }
            if (!matched && n.additionalProperties >= 0) {
                matched = true;
                const bool refused = m_s.nodes[size_t(n.additionalProperties)].kind == SchemaNode::Kind::AlwaysFalse;
                if (refused ? !check(fail(p, QStringLiteral("property '%1' is not allowed").arg(key)))
                            : !check(child(n.additionalProperties, it.value(), p, depth, nullptr)))
                    return false;
            }
            if (matched && a)
                a->properties.insert(key);
        }
        return true;
    }

    template<typename Check>
    bool unevaluatedProperties(const SchemaNode &n, const QJsonObject &o, const Path &path, int depth, Annotations *a,
                               Check &check)
    {
        const bool refused = m_s.nodes[size_t(n.unevaluatedProperties)].kind == SchemaNode::Kind::AlwaysFalse;
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString key = it.key();
            if (a->properties.contains(key))
                continue;
            const Path p{&path, &key, -1};
            if (refused ? !check(fail(p, QStringLiteral("property '%1' is not allowed").arg(key)))
                        : !check(child(n.unevaluatedProperties, it.value(), p, depth, nullptr)))
                return false;
            a->properties.insert(key);
        }
        return true;
    }

    bool alternatives(const std::vector<int> &list, bool exactlyOne, const QJsonValue &v, const Path &path, int depth,
                      Annotations *a)
    {
        QList<int> matched;
        QList<SchemaProblem> closest;
        for (size_t i = 0; i < list.size(); ++i) {
            Annotations trial;
            QList<SchemaProblem> problems;
            if (attempt(list[i], v, path, depth, a ? &trial : nullptr, &problems)) {
                matched.append(int(i));
                if (a)
                    a->merge(trial);
                if (!exactlyOne && !a)
                    break;
                if (exactlyOne && matched.size() > 1)
                    break;
            } else if (closest.isEmpty() || (!problems.isEmpty() && problems.first().pointer.size() > closest.first().pointer.size())) {
                closest = problems;   // the branch that got deepest explains best
            }
            if (m_stopped)
                return false;
        }
        const char *keyword = exactlyOne ? "oneOf" : "anyOf";
        if (matched.isEmpty()) {
            QString detail;
            if (!closest.isEmpty())
                detail = QStringLiteral(" (closest: %1)").arg(closest.first().toString());
            return fail(path, QStringLiteral("matches none of the %1 alternatives of '%2'%3")
                                  .arg(list.size()).arg(QLatin1StringView(keyword), detail));
        }
        if (exactlyOne && matched.size() > 1)
            return fail(path, QStringLiteral("matches alternatives %1 and %2 of 'oneOf'; exactly one must match")
                                  .arg(matched[0] + 1).arg(matched[1] + 1));
        return true;
    }

    const CompiledSchema &m_s;
    const JsonSchemaLimits &m_limits;
    SchemaDirection m_direction;
    QList<SchemaProblem> *m_sink = nullptr;
    int m_cap = 0;
    qint64 m_steps = 0;
    int m_stack = 0;
    bool m_stopped = false;
    QString m_stopReason;
};

} // namespace

bool JsonSchema::validate(const QJsonValue &instance, QList<SchemaProblem> *problems, const JsonSchemaLimits &limits,
                          SchemaDirection direction) const
{
    if (!m_d || m_d->nodes.empty())
        return true;
    Evaluator e(*m_d, limits, direction);
    return e.run(instance, problems);
}

} // namespace Gatehouse
