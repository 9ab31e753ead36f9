// The body-template policy: builds the request body sent upstream and/or the response body the
// client gets from templates (bodytemplate.h), with the Content-Type they declare.
#pragma once

namespace Gatehouse {

struct PolicyDescriptor;

PolicyDescriptor bodyTemplatePolicy();

} // namespace Gatehouse
