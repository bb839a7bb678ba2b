package io.jobplane.app.http;

import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.servlet.async.AsyncContextDelegateProviderImpl;
import org.glassfish.jersey.servlet.spi.AsyncContextDelegateProvider;

/**
 * Jersey's servlet async support (suspended requests, SSE without a held thread). Jersey finds it
 * through META-INF/services, which the API turns off so that nothing on the class path joins it
 * unasked; this binds it by name instead.
 */
final class ServletAsync {

  /** A new binder per application: a binder belongs to the injection manager it configures. */
  static AbstractBinder binder() {
    return new AbstractBinder() {
      @Override
      protected void configure() {
        bind(AsyncContextDelegateProviderImpl.class).to(AsyncContextDelegateProvider.class);
      }
    };
  }

  private ServletAsync() {}
}
