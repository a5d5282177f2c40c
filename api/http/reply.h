/* Internal to the gateway: what the reply path needs from the worker. */
#ifndef JXJY_API_REPLY_H
#define JXJY_API_REPLY_H

#include "http/request.h"

void api_conn_request_done(api_conn *c);
#endif
