using Dev2Prod.E2ETests;

[assembly: AssemblyFixture(typeof(BrowserStackFixture))]
