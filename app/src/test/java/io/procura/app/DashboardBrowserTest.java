package io.procura.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.procura.chain.Tokens;
import io.procura.coordinator.Coordinator;
import io.procura.db.Database;
import io.procura.db.Store;
import java.io.File;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The coordinator's dashboard in a real headless browser (Debian's chromium driven by Selenium through Debian's
 * chromedriver) against a live coordinator on anvil: a slot proven by its designate and a slot whose designate stayed
 * silent, both settled by the keeper. The page must show both outcomes, the slash and refund of the silent one, both
 * provers and the mechanism's quote; a screenshot is kept at {@code app/target/dashboard.png}.
 */
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void theDashboardShowsASettledAndASlashedSlot() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; "
                        + ".ci/run installs them)");
        try (LocalMarket m = new LocalMarket(2); Database db = Database.embedded(null)) {
            Coordinator coordinator = new Coordinator(m.chain, m.d, new Store(db.dataSource()), m.owner,
                    new Coordinator.Settings(1.0, 0, Duration.ofMillis(200), 0));
            WebDriver browser = null;
            try {
                coordinator.start();
                LocalMarket.ProvenAndSilent slots = m.provenAndSilent(coordinator);
                BigInteger proven = slots.proven();
                BigInteger silent = slots.silent();
                BigInteger bond = slots.silentBond();

                ChromeOptions options = new ChromeOptions();
                options.setBinary(CHROMIUM.toFile());
                options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1400,1100");
                ChromeDriverService service = new ChromeDriverService.Builder()
                        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
                browser = new ChromeDriver(service, options);
                browser.get("http://127.0.0.1:" + coordinator.apiPort() + "/dashboard");
                try {
                    new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                            "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded"))
                                    && !d.findElements(By.cssSelector("#quote dt")).isEmpty());
                } catch (org.openqa.selenium.TimeoutException e) {
                    throw new AssertionError("the dashboard did not load; it shows:\n"
                            + browser.findElement(By.tagName("body")).getText() + "\nconsole: "
                            + browser.manage().logs().get("browser").getAll(), e);
                }

                WebElement delivered = browser.findElement(By.cssSelector("#slots tr[data-slot='" + proven + "']"));
                assertThat(delivered.getText()).contains("SETTLED").contains("delivered");
                WebElement slashed = browser.findElement(By.cssSelector("#slots tr[data-slot='" + silent + "']"));
                String bondTokens = Tokens.format(bond, 4).replaceAll("\\.?0+$", "");
                assertThat(slashed.getText()).contains("no_proof").contains(bondTokens);
                List<WebElement> slashes = browser.findElements(By.cssSelector("#slashes tbody tr"));
                assertThat(slashes).hasSize(1);
                assertThat(slashes.get(0).getText()).startsWith(silent.toString()).contains(bondTokens);
                assertThat(browser.findElements(By.cssSelector("#provers tbody tr"))).hasSize(2);
                assertThat(browser.findElement(By.id("quote")).getText()).contains("committee size m")
                        .contains("worst-case loss");
                assertThat(browser.findElement(By.id("error")).getText()).isEmpty();

                File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
                Path kept = Path.of("target", "dashboard.png");
                Files.copy(shot.toPath(), kept, StandardCopyOption.REPLACE_EXISTING);
                assertThat(Files.size(kept)).isGreaterThan(10_000);
            } finally {
                if (browser != null) browser.quit();
                coordinator.close();
            }
        }
    }
}
