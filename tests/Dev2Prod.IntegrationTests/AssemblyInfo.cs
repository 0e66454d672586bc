using Dev2Prod.Testing;

// One stack for the whole assembly: starting Postgres, Redis and three services costs ~15 s.
[assembly: AssemblyFixture(typeof(StackFixture))]
