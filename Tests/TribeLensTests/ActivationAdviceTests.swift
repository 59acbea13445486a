import FaceKit
import Foundation
import XCTest
@testable import TribeLens

/// "Use it to label photos" when saving: a worse model is never ticked to replace a better one,
/// and the sentence says what both scored.
final class ActivationAdviceTests: XCTestCase {
    private func active(_ accuracy: Double?) -> ModelSummary {
        ModelSummary(name: "m4", backend: "sface", accuracy: accuracy, createdAt: Date(timeIntervalSince1970: 0))
    }

    func testWithNoActiveModelTheNewOneIsTickedSilently() {
        let advice = ActivationAdvice(newAccuracy: 0.22, active: nil)
        XCTAssertTrue(advice.activateByDefault)
        XCTAssertNil(advice.comparison)
    }

    func testAWorseModelIsNotTickedAndBothScoresAreSaid() {
        let advice = ActivationAdvice(newAccuracy: 0.22, active: active(0.68))
        XCTAssertFalse(advice.activateByDefault)
        XCTAssertEqual(advice.comparison, "The active model “m4” scored 68%; this one scored 22%.")
    }

    func testAnAsGoodOrBetterModelIsTicked() {
        XCTAssertTrue(ActivationAdvice(newAccuracy: 0.68, active: active(0.68)).activateByDefault)
        // Equal as shown in whole percent.
        XCTAssertTrue(ActivationAdvice(newAccuracy: 0.6801, active: active(0.6804)).activateByDefault)
        XCTAssertTrue(ActivationAdvice(newAccuracy: 0.9, active: active(0.68)).activateByDefault)
        XCTAssertEqual(ActivationAdvice(newAccuracy: 0.9, active: active(0.68)).comparison,
                       "The active model “m4” scored 68%; this one scored 90%.")
    }

    func testUnevaluatedModels() {
        // An evaluated model may replace an unevaluated one; an unevaluated one is not ticked.
        XCTAssertTrue(ActivationAdvice(newAccuracy: 0.5, active: active(nil)).activateByDefault)
        XCTAssertFalse(ActivationAdvice(newAccuracy: nil, active: active(0.68)).activateByDefault)
        XCTAssertFalse(ActivationAdvice(newAccuracy: nil, active: active(nil)).activateByDefault)
        XCTAssertNotNil(ActivationAdvice(newAccuracy: nil, active: active(nil)).comparison)
    }
}
