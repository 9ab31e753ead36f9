// Long-lived services the filters use, owned by the engine and kept across reloads.
#include "gatewayservices.h"

#include "policies/auth/basicauthenticator.h"
#include "policies/auth/introspectionauthenticator.h"
#include "policies/auth/mtlsauthenticator.h"
#include "policies/ratelimit/ratelimitservice.h"
#include "project/gatewayconfig.h"
#include "security/tokenservices.h"

#include <QDir>

namespace Gatehouse {

GatewayServices::GatewayServices(int workerCount, const QString &projectDir)
    : m_workerCount(qMax(1, workerCount)), m_projectDir(projectDir),
      m_introspection(std::make_shared<IntrospectionRuntime>(m_workerCount)),
      m_rateLimits(std::make_shared<RateLimitService>(m_workerCount))
{
}

GatewayServices::~GatewayServices() = default;

void GatewayServices::warnOnce(Diagnostics &diagnostics, const SourceLocation &where, const QString &message)
{
    const QString key = where.file + u':' + QString::number(where.line) + u':' + message;
    if (m_warned.contains(key))
        return;
    m_warned.insert(key);
    diagnostics.warning(where, message);
}

void GatewayServices::configure(const GatewayConfig &config, Diagnostics &diagnostics)
{
    m_warned.clear();
    ++m_generation;
    const ProjectSettings &settings = config.settings;
    m_basicUsers = std::make_shared<BasicUserStore>(settings, m_projectDir, m_workerCount, diagnostics);
    const TlsListenerSettings &https = settings.listeners.https;
    m_clientCas = std::make_shared<const ClientCaStore>(
        https.clientCaFile.isEmpty() ? QString() : QDir(m_projectDir).absoluteFilePath(https.clientCaFile),
        diagnostics, https.location);
    m_keyManagers = resolveIntrospectionEndpoints(settings.security, m_projectDir, diagnostics);
    m_tokens = std::make_shared<const TokenServices>(settings, m_projectDir, m_workerCount, m_tokens.get(), diagnostics);
    m_rateLimits->configure(settings.throttling, m_projectDir, diagnostics);
}

} // namespace Gatehouse
