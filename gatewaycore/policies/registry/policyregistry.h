// The policy registry: every policy Gatehouse can attach declares itself once here (name, version,
// priority, phases, settings schema, cross-field rules, factory); validation, `gatehoused policy`,
// docs/policies.md and the workbench's forms all come from these declarations.
#pragma once

#include "settingsschema.h"

#include "base/diagnostic.h"
#include "pipeline/filter.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace Gatehouse {

struct GatewayConfig;
struct PolicyAttachment;
struct Route;
class GatewayServices;

// What a policy's factory gets: the attachment's validated settings (defaults filled in) and the
// route it is built for. Problems found while building (a script that does not compile, a template
// naming an unknown path parameter) are reported through error(), at the attachment.
struct PolicyBuildContext
{
    const PolicyAttachment &attachment;
    QJsonObject settings;
    const Route &route;
    const GatewayConfig &config;
    GatewayServices &services;
    Diagnostics &diagnostics;

    // "apis/pets.yaml:12:9: error: policy 'rewrite': <message>" (each distinct one once).
    void error(const QString &message) const;
    // The same at another place (a script's own file:line).
    void errorAt(const SourceLocation &where, const QString &message) const;
};

struct PolicyDescriptor
{
    QString name;          // as written in x-gatehouse-request-policies: "set-headers"
    QString version;       // of the policy's settings contract: "1.0"
    QString description;   // one paragraph
    int priority = 0;      // higher first in listings and the editor's palette; attachment order runs
    bool requestPhase = false;    // acts on the request (before the upstream)
    bool responsePhase = false;   // acts on the upstream's response head
    SettingSchema settings;
    // Keys beyond those `settings` declares pass through to check() and build() unvalidated
    // (the policy checks them itself: a native plugin's own schema).
    bool openSettings = false;
    QString notes;         // extra Markdown for the docs (substitutions, script API ...)
    // Rules across fields, as code: append "settings.<path>: <sentence>" problems.
    void (*check)(const QJsonObject &settings, QStringList &problems) = nullptr;
    // Builds the filter; nullptr after reporting through ctx.error().
    std::shared_ptr<const Filter> (*build)(const PolicyBuildContext &ctx) = nullptr;

    QJsonObject toJson() const;   // for `gatehoused policy show --json` and the editors
};

class PolicyRegistry
{
public:
    // The policies built into this gatehoused, by priority (highest first), then name.
    static const PolicyRegistry &builtin();

    const QList<PolicyDescriptor> &policies() const { return m_policies; }
    const PolicyDescriptor *find(const QString &name) const;
    QStringList names() const;

    // Validates one attachment (unknown name, settings against the schema, cross-field rules) and
    // builds its filter. Diagnostics at the attachment's location; nullptr on any error.
    std::shared_ptr<const Filter> build(const PolicyAttachment &attachment, const Route &route,
                                        const GatewayConfig &config, GatewayServices &services,
                                        Diagnostics &diagnostics) const;

    // docs/policies.md (generated; a test fails when the checked-in file differs).
    QString markdown() const;

private:
    PolicyRegistry();
    QList<PolicyDescriptor> m_policies;
};

// Adds `diagnostic` unless an identical one is already there (an API-level attachment is built
// once per route of the API, and its problem should be read once).
void addDiagnosticOnce(Diagnostics &diagnostics, Severity severity, const SourceLocation &where,
                       const QString &message);

} // namespace Gatehouse
